// Optimizers with the tfjs engine's update rules (tfjs-core's sgd, momentum, adam, rmsprop), so
// a pipeline file's `train.optimizer` means the same on both engines, plus gradient clipping
// (TensorFlow's clip_by_global_norm, then element-wise clipping).
#pragma once

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cmath>
#include <string>
#include <vector>

#include "network.h"
#include "plan.h"

namespace myelin {

class Optimizer {
 public:
  Optimizer(const OptimizerPlan& plan, const std::vector<Named>& params) : plan_(plan) {
    for (const auto& p : params) {
      const std::vector<std::string> slots = slotNames();
      for (const auto& s : slots) slots_.push_back({p.name + "." + s, at::zeros_like(p.tensor).detach()});
    }
  }

  void setLearningRate(double lr) { plan_.learningRate = lr; }

  /**
   * Applies one update to every parameter (gradients in parameter order). On the CPU each rule
   * is one fused pass over the parameter, its gradient and its slots (what PyTorch's `fused`
   * optimizers do), spread over the intra-op threads; elsewhere (CUDA) the same formula as
   * in-place ATen operations.
   */
  void step(std::vector<Named>& params, const std::vector<at::Tensor>& grads) {
    at::NoGradGuard guard;
    iterations_ += 1;
    const size_t per = slotNames().size();
    for (size_t i = 0; i < params.size(); i++) {
      at::Tensor& p = params[i].tensor;
      at::Tensor* s0 = per > 0 ? &slots_[i * per].tensor : nullptr;
      at::Tensor* s1 = per > 1 ? &slots_[i * per + 1].tensor : nullptr;
      if (fusable(p, grads[i], s0, s1))
        fusedStep(p, grads[i].contiguous(), s0, s1);
      else
        atenStep(p, grads[i], s0, s1);
    }
  }

  /** The per-parameter slots (`<param>.m`, `.v`, `.momentum`, `.ms`), in parameter order. */
  std::vector<Named>& slots() { return slots_; }
  int64_t iterations() const { return iterations_; }
  void setIterations(int64_t n) { iterations_ = n; }

 private:
  static bool fusable(const at::Tensor& p, const at::Tensor& g, const at::Tensor* s0, const at::Tensor* s1) {
    auto ok = [](const at::Tensor& t) { return t.device().is_cpu() && t.scalar_type() == at::kFloat && t.is_contiguous(); };
    return ok(p) && g.device().is_cpu() && g.scalar_type() == at::kFloat && g.numel() == p.numel() &&
           (!s0 || ok(*s0)) && (!s1 || ok(*s1));
  }

  /** The tfjs rules, written once as one loop per rule over raw float buffers. */
  void fusedStep(at::Tensor& p, const at::Tensor& g, at::Tensor* s0, at::Tensor* s1) {
    float* __restrict w = p.data_ptr<float>();
    const float* __restrict d = g.data_ptr<float>();
    float* __restrict a = s0 ? s0->data_ptr<float>() : nullptr;
    float* __restrict b = s1 ? s1->data_ptr<float>() : nullptr;
    const float lr = static_cast<float>(plan_.learningRate);
    const int64_t n = p.numel();
    constexpr int64_t grain = 16384;
    switch (plan_.name) {
      case Opt::Sgd:
        at::parallel_for(0, n, grain, [&](int64_t lo, int64_t hi) {
          for (int64_t j = lo; j < hi; j++) w[j] -= d[j] * lr;
        });
        break;
      case Opt::Momentum: {
        const float mu = static_cast<float>(plan_.momentum);
        at::parallel_for(0, n, grain, [&](int64_t lo, int64_t hi) {
          for (int64_t j = lo; j < hi; j++) {
            a[j] = a[j] * mu + d[j];
            w[j] -= a[j] * lr;
          }
        });
        break;
      }
      case Opt::Adam: {
        const float b1 = static_cast<float>(plan_.beta1), b2 = static_cast<float>(plan_.beta2);
        const float c1 = static_cast<float>(1 - std::pow(plan_.beta1, static_cast<double>(iterations_)));
        const float c2 = static_cast<float>(1 - std::pow(plan_.beta2, static_cast<double>(iterations_)));
        const float eps = static_cast<float>(plan_.epsilon);
        at::parallel_for(0, n, grain, [&](int64_t lo, int64_t hi) {
          for (int64_t j = lo; j < hi; j++) {
            const float m = a[j] * b1 + d[j] * (1 - b1);
            const float v = b[j] * b2 + d[j] * d[j] * (1 - b2);
            a[j] = m;
            b[j] = v;
            w[j] -= (m / c1) / (std::sqrt(v / c2) + eps) * lr;
          }
        });
        break;
      }
      case Opt::RmsProp: {
        const float rho = static_cast<float>(plan_.decay), mu = static_cast<float>(plan_.momentum);
        const float eps = static_cast<float>(plan_.epsilon);
        at::parallel_for(0, n, grain, [&](int64_t lo, int64_t hi) {
          for (int64_t j = lo; j < hi; j++) {
            const float ms = a[j] * rho + d[j] * d[j] * (1 - rho);
            a[j] = ms;
            b[j] = b[j] * mu + d[j] * lr / std::sqrt(ms + eps);
            w[j] -= b[j];
          }
        });
        break;
      }
    }
  }

  /** The same rules as in-place ATen operations (any device). */
  void atenStep(at::Tensor& p, const at::Tensor& g, at::Tensor* s0, at::Tensor* s1) {
    const double lr = plan_.learningRate;
    switch (plan_.name) {
      case Opt::Sgd:
        p.sub_(g, lr);
        break;
      case Opt::Momentum:
        s0->mul_(plan_.momentum).add_(g);
        p.sub_(*s0, lr);
        break;
      case Opt::Adam: {
        s0->mul_(plan_.beta1).add_(g, 1 - plan_.beta1);
        s1->mul_(plan_.beta2).addcmul_(g, g, 1 - plan_.beta2);
        const double c1 = 1 - std::pow(plan_.beta1, static_cast<double>(iterations_));
        const double c2 = 1 - std::pow(plan_.beta2, static_cast<double>(iterations_));
        at::Tensor denom = (*s1 / c2).sqrt_().add_(plan_.epsilon);
        p.addcdiv_(*s0, denom, -lr / c1);
        break;
      }
      case Opt::RmsProp:
        s0->mul_(plan_.decay).addcmul_(g, g, 1 - plan_.decay);
        s1->mul_(plan_.momentum).addcdiv_(g, (*s0 + plan_.epsilon).sqrt_(), lr);
        p.sub_(*s1);
        break;
    }
  }

  std::vector<std::string> slotNames() const {
    switch (plan_.name) {
      case Opt::Sgd: return {};
      case Opt::Momentum: return {"momentum"};
      case Opt::Adam: return {"m", "v"};
      case Opt::RmsProp: return {"ms", "momentum"};
    }
    return {};
  }

  OptimizerPlan plan_;
  std::vector<Named> slots_;
  int64_t iterations_ = 0;
};

/**
 * Scales all gradients together by clipNorm / max(globalNorm, clipNorm), globalNorm = sqrt(Σ‖g‖²);
 * then clips every element to [-clipValue, clipValue]. 0 turns either off.
 */
inline void clipGradients(std::vector<at::Tensor>& grads, double clipNorm, double clipValue) {
  at::NoGradGuard guard;
  if (clipNorm > 0 && !grads.empty()) {
    at::Tensor sq = at::zeros({}, grads[0].options());
    for (const auto& g : grads) sq = sq + g.square().sum();
    at::Tensor scale = clipNorm / at::clamp_min(sq.sqrt(), clipNorm);
    for (auto& g : grads) g = g * scale;
  }
  if (clipValue > 0)
    for (auto& g : grads) g = g.clamp(-clipValue, clipValue);
}

}  // namespace myelin
