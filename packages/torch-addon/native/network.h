// The network: parameters and buffers under their canonical names, the forward pass, the
// losses and scores of packages/training/src/train/sample-loss.ts, and the regularization penalty.
// Pure libtorch (no N-API); every formula follows the tfjs engine so both mean the same thing.
#pragma once

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/autograd/autograd.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "plan.h"

namespace myelin {

/** A tensor with its canonical name (see docs in model-plan.ts): `<layer>.weight`, `.bias`, … */
struct Named {
  std::string name;
  at::Tensor tensor;
};

/** Probabilities are clipped to [eps, 1 - eps] before a log, with Keras's eps. */
constexpr double kProbEpsilon = 1e-7;

class Network {
 public:
  Network(NetPlan plan, at::Device device) : plan_(std::move(plan)), device_(device) {
    const auto f32 = at::TensorOptions().dtype(at::kFloat).device(device_);
    for (size_t i = 0; i < plan_.layers.size(); i++) {
      const LayerPlan& l = plan_.layers[i];
      const std::string p = std::to_string(i) + ".";
      if (l.kind == Kind::Dense) {
        addParam(p + "weight", at::zeros({l.units, l.in}, f32));
        addParam(p + "bias", at::zeros({l.units}, f32));
      } else if (l.kind == Kind::Conv2d) {
        addParam(p + "weight", at::zeros({l.units, l.in, l.kh, l.kw}, f32));
        addParam(p + "bias", at::zeros({l.units}, f32));
      } else if (l.kind == Kind::BatchNorm) {
        addParam(p + "weight", at::ones({l.in}, f32));
        addParam(p + "bias", at::zeros({l.in}, f32));
        addBuffer(p + "running_mean", at::zeros({l.in}, f32));
        addBuffer(p + "running_var", at::ones({l.in}, f32));
      }
    }
  }

  const NetPlan& plan() const { return plan_; }
  at::Device device() const { return device_; }
  std::vector<Named>& params() { return params_; }
  std::vector<Named>& buffers() { return buffers_; }

  /** Parameters and buffers, in canonical order (the order of the model file). */
  std::vector<Named>& state() { return state_; }

  std::vector<at::Tensor> trainable() const {
    std::vector<at::Tensor> out;
    out.reserve(params_.size());
    for (const auto& p : params_) out.push_back(p.tensor);
    return out;
  }

  /**
   * Runs the layers on flat rows [b, d]. Images are fed as flat NHWC rows (as the tfjs engine
   * and the served model take them): reshaped to [b, h, w, c] and permuted to NCHW for the
   * convolutions; `flatten` permutes back to NHWC first, so the dense layer after it sees the
   * features in the tfjs order. `dropoutGen` draws the dropout masks in training mode.
   */
  at::Tensor forward(const at::Tensor& rows, bool training, c10::optional<at::Generator> dropoutGen,
                     bool logits = false) {
    const bool skipHead = logits && fusedHead();
    at::Tensor x = rows;
    bool image = plan_.inputShape.size() == 3;
    if (image) {
      const auto& s = plan_.inputShape;
      x = x.reshape({x.size(0), s[0], s[1], s[2]}).permute({0, 3, 1, 2});
    }
    size_t pi = 0, bi = 0;
    for (const LayerPlan& l : plan_.layers) {
      switch (l.kind) {
        case Kind::Dense: {
          x = at::linear(x, params_[pi].tensor, params_[pi + 1].tensor);
          pi += 2;
          if (!(skipHead && &l == &plan_.layers.back())) x = activate(x, l.act);
          break;
        }
        case Kind::Conv2d: {
          // symmetric zero padding goes to the convolution itself; asymmetric ('same' with an even
          // kernel or a stride) is padded explicitly first, as TensorFlow pads
          const bool symmetric = l.padT == l.padB && l.padL == l.padR;
          if (!symmetric) x = at::constant_pad_nd(x, {l.padL, l.padR, l.padT, l.padB}, 0);
          x = at::conv2d(x, params_[pi].tensor, params_[pi + 1].tensor, {l.sh, l.sw},
                         symmetric ? std::vector<int64_t>{l.padT, l.padL} : std::vector<int64_t>{0, 0});
          pi += 2;
          x = activate(x, l.act);
          break;
        }
        case Kind::MaxPool2d:
          x = at::max_pool2d(x, {l.kh, l.kw}, {l.sh, l.sw});
          break;
        case Kind::Flatten:
          if (image) {
            x = x.permute({0, 2, 3, 1}).reshape({x.size(0), -1});
            image = false;
          }
          break;
        case Kind::Dropout:
          if (training && l.rate > 0) {
            const double keep = 1.0 - l.rate;
            at::Tensor mask = at::empty_like(x).bernoulli_(keep, dropoutGen);
            x = x * mask / keep;
          }
          break;
        case Kind::BatchNorm: {
          x = batchNorm(x, l, params_[pi].tensor, params_[pi + 1].tensor, buffers_[bi].tensor,
                        buffers_[bi + 1].tensor, training);
          pi += 2;
          bi += 2;
          break;
        }
      }
    }
    return x;
  }

  /** Per-sample loss [b] (Keras definitions, probabilities clipped before the log). */
  at::Tensor sampleLoss(const at::Tensor& y, const at::Tensor& p) const {
    switch (plan_.loss) {
      case Loss::BinaryCrossentropy: {
        at::Tensor q = p.clamp(kProbEpsilon, 1 - kProbEpsilon);
        return -(y * q.log() + (1 - y) * (1 - q).log()).mean(-1);
      }
      case Loss::CategoricalCrossentropy: {
        at::Tensor q = (p / p.sum(-1, true)).clamp(kProbEpsilon, 1 - kProbEpsilon);
        return -(y * q.log()).sum(-1);
      }
      case Loss::MeanSquaredError:
        return (y - p).square().mean(-1);
      case Loss::MeanAbsoluteError:
        return (y - p).abs().mean(-1);
    }
    throw std::logic_error("unknown loss");
  }

  /**
   * Whether the output layer's activation and the loss are computed together from the logits
   * (softmax + categorical cross-entropy, sigmoid + binary cross-entropy): the same clipped
   * Keras loss, as log-probabilities clamped to [log ε, log(1 − ε)] — fewer operations per
   * step and no log of a rounded probability. `forward(…, logits = true)` then stops before
   * that activation, `head` applies it.
   */
  bool fusedHead() const {
    if (plan_.layers.empty() || plan_.layers.back().kind != Kind::Dense) return false;
    const Act act = plan_.layers.back().act;
    return (act == Act::Softmax && plan_.loss == Loss::CategoricalCrossentropy) ||
           (act == Act::Sigmoid && plan_.loss == Loss::BinaryCrossentropy);
  }

  /** The output activation on what `forward(…, logits = true)` returned. */
  at::Tensor head(const at::Tensor& out) const { return fusedHead() ? activate(out, plan_.layers.back().act) : out; }

  /** Per-sample loss [b] of what `forward(…, logits = true)` returned (the same values as sampleLoss). */
  at::Tensor sampleLossOf(const at::Tensor& y, const at::Tensor& out) const {
    if (!fusedHead()) return sampleLoss(y, out);
    const double lo = std::log(kProbEpsilon), hi = std::log1p(-kProbEpsilon);
    if (plan_.loss == Loss::CategoricalCrossentropy)
      return -(y * at::log_softmax(out, -1).clamp(lo, hi)).sum(-1);
    at::Tensor logP = at::log_sigmoid(out).clamp(lo, hi);
    at::Tensor logQ = at::log_sigmoid(-out).clamp(lo, hi);
    return -(y * logP + (1 - y) * logQ).mean(-1);
  }

  /** Per-sample training score [b]: 1/0 hits (accuracy), or the mean absolute error (regression). */
  at::Tensor sampleScore(const at::Tensor& y, const at::Tensor& p) const {
    if (plan_.regression) return (y - p).abs().mean(-1);
    if (p.size(-1) == 1) return p.gt(0.5).eq(y.ge(0.5)).to(at::kFloat).reshape({-1});
    return p.argmax(-1).eq(y.argmax(-1)).to(at::kFloat);
  }

  /** L1 / L2 penalties of the kernels: Σ l1·|W| + l2·W² (the tfjs l1l2 regularizer). */
  at::Tensor penalty() const {
    at::Tensor total = at::zeros({}, at::TensorOptions().dtype(at::kFloat).device(device_));
    size_t pi = 0;
    for (const LayerPlan& l : plan_.layers) {
      if (l.kind == Kind::Dense || l.kind == Kind::Conv2d) {
        const at::Tensor& w = params_[pi].tensor;
        if (l.l1 > 0) total = total + w.abs().sum() * l.l1;
        if (l.l2 > 0) total = total + w.square().sum() * l.l2;
        pi += 2;
      } else if (l.kind == Kind::BatchNorm) {
        pi += 2;
      }
    }
    return total;
  }

  bool hasPenalty() const {
    for (const LayerPlan& l : plan_.layers)
      if ((l.kind == Kind::Dense || l.kind == Kind::Conv2d) && (l.l1 > 0 || l.l2 > 0)) return true;
    return false;
  }

 private:
  void addParam(const std::string& name, at::Tensor t) {
    t.set_requires_grad(true);
    params_.push_back({name, t});
    state_.push_back({name, t});
  }

  void addBuffer(const std::string& name, at::Tensor t) {
    buffers_.push_back({name, t});
    state_.push_back({name, t});
  }

  static at::Tensor activate(const at::Tensor& x, Act act) {
    switch (act) {
      case Act::Linear: return x;
      case Act::Relu: return at::relu(x);
      case Act::Sigmoid: return at::sigmoid(x);
      case Act::Tanh: return at::tanh(x);
      case Act::Softmax: return at::softmax(x, -1);
      case Act::Elu: return at::elu(x);
      case Act::Selu: return at::selu(x);
      case Act::Gelu: return at::gelu(x);  // the exact (erf) form, as tfjs-layers' 'gelu'
      case Act::Swish: return x * at::sigmoid(x);
    }
    throw std::logic_error("unknown activation");
  }

  /**
   * Batch normalization with the tfjs / Keras meaning: training normalises with the batch mean
   * and the biased batch variance and moves the running statistics by
   * running -= (running - batch) · (1 - momentum); inference uses the running statistics.
   * y = (x - mean) · rsqrt(var + eps) · gamma + beta, over the features (or image channels).
   */
  static at::Tensor batchNorm(const at::Tensor& x, const LayerPlan& l, const at::Tensor& gamma,
                              const at::Tensor& beta, at::Tensor& runningMean, at::Tensor& runningVar,
                              bool training) {
    const bool image = x.dim() == 4;
    std::vector<int64_t> dims = image ? std::vector<int64_t>{0, 2, 3} : std::vector<int64_t>{0};
    std::vector<int64_t> shape = image ? std::vector<int64_t>{1, -1, 1, 1} : std::vector<int64_t>{1, -1};
    at::Tensor mean, var;
    if (training) {
      mean = x.mean(dims, true);
      var = (x - mean).square().mean(dims, true);
      at::NoGradGuard guard;
      const double decay = 1.0 - l.momentum;
      runningMean.sub_((runningMean - mean.detach().reshape({-1})) * decay);
      runningVar.sub_((runningVar - var.detach().reshape({-1})) * decay);
    } else {
      mean = runningMean.reshape(shape);
      var = runningVar.reshape(shape);
    }
    return (x - mean) * at::rsqrt(var + l.epsilon) * gamma.reshape(shape) + beta.reshape(shape);
  }

  NetPlan plan_;
  at::Device device_;
  std::vector<Named> params_;
  std::vector<Named> buffers_;
  std::vector<Named> state_;  // the same tensors as params_ and buffers_, in file order
};

}  // namespace myelin
