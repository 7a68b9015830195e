// Optimizers with the tfjs engine's update rules (tfjs-core's sgd, momentum, adam, rmsprop), so
// a pipeline file's `train.optimizer` means the same on both engines, plus gradient clipping
// (TensorFlow's clip_by_global_norm, then element-wise clipping).
#pragma once

#include <ATen/ATen.h>

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

  /** Applies one update to every parameter (gradients in parameter order). */
  void step(std::vector<Named>& params, const std::vector<at::Tensor>& grads) {
    at::NoGradGuard guard;
    iterations_ += 1;
    const double lr = plan_.learningRate;
    const size_t per = slotNames().size();
    for (size_t i = 0; i < params.size(); i++) {
      at::Tensor p = params[i].tensor;
      const at::Tensor& g = grads[i];
      switch (plan_.name) {
        case Opt::Sgd:
          p.sub_(g * lr);
          break;
        case Opt::Momentum: {
          at::Tensor& acc = slots_[i * per].tensor;
          acc.mul_(plan_.momentum).add_(g);
          p.sub_(acc * lr);
          break;
        }
        case Opt::Adam: {
          at::Tensor& m = slots_[i * per].tensor;
          at::Tensor& v = slots_[i * per + 1].tensor;
          m.mul_(plan_.beta1).add_(g * (1 - plan_.beta1));
          v.mul_(plan_.beta2).add_(g.square() * (1 - plan_.beta2));
          const double c1 = 1 - std::pow(plan_.beta1, static_cast<double>(iterations_));
          const double c2 = 1 - std::pow(plan_.beta2, static_cast<double>(iterations_));
          p.sub_((m / c1) / ((v / c2).sqrt() + plan_.epsilon) * lr);
          break;
        }
        case Opt::RmsProp: {
          at::Tensor& ms = slots_[i * per].tensor;
          at::Tensor& mom = slots_[i * per + 1].tensor;
          ms.mul_(plan_.decay).add_(g.square() * (1 - plan_.decay));
          mom.mul_(plan_.momentum).add_(g * lr / (ms + plan_.epsilon).sqrt());
          p.sub_(mom);
          break;
        }
      }
    }
  }

  /** The per-parameter slots (`<param>.m`, `.v`, `.momentum`, `.ms`), in parameter order. */
  std::vector<Named>& slots() { return slots_; }
  int64_t iterations() const { return iterations_; }
  void setIterations(int64_t n) { iterations_ = n; }

 private:
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
