// One training session: the network, its optimizer, the data, and whole epochs run natively
// (seeded shuffle, batching, forward, loss, backward, clipping, optimizer step), plus validation
// and prediction. No N-API here: bindings.cc calls it from a worker thread.
#pragma once

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/autograd.h>

#include <chrono>
#include <cmath>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "network.h"
#include "optimizer.h"

namespace myelin {

struct EpochArgs {
  int64_t epoch = 1;
  int64_t batchSize = 32;
  double learningRate = 0.01;
  uint64_t shuffleSeed = 0;
  uint64_t dropoutSeed = 0;
};

struct EpochResult {
  double loss = 0, score = 0;
  bool hasValidation = false;
  double valLoss = 0, valScore = 0;
  double trainMs = 0;
  // set when the loss stopped being finite: the 1-based step and its value
  int64_t nonFiniteStep = 0;
  double nonFiniteValue = 0;
};

struct Rows {
  at::Tensor x, y, w;  // [n, d], [n, k], [n] or undefined
  int64_t n = 0;
};

/**
 * Flushes denormal floats to zero (FTZ + DAZ) on this thread and on each intra-op thread: the
 * mode lives in every thread's own MXCSR register, so one parallel region with one item per
 * thread sets it everywhere. Without it, a unit whose gradient stays zero (a dead ReLU) has its
 * Adam moments decay by β each step into the denormal range (below 1.2e-38) after some 800
 * steps, and every arithmetic operation on a denormal takes a microcode assist roughly a hundred
 * times slower: the 60,000-row MLP ran at a third of its speed from its third epoch on (the
 * optimizer pass went from a few percent of the step to a third of it). TensorFlow runs its CPU
 * kernels in this mode too; values that small change no result beyond the conformance bound.
 */
inline void flushDenormals() {
  at::globalContext().setFlushDenormal(true);  // this thread (a no-op where the CPU has no such mode)
  at::parallel_for(0, at::get_num_threads(), 1, [](int64_t, int64_t) { at::globalContext().setFlushDenormal(true); });
}

/** Serialises epochs that use a device's default generator (CUDA dropout masks). */
inline std::mutex& deviceGeneratorMutex() {
  static std::mutex m;
  return m;
}

class Trainer {
 public:
  Trainer(NetPlan plan, at::Device device)
      : net_(std::move(plan), device), optimizer_(net_.plan().optimizer, net_.params()) {}

  Network& net() { return net_; }
  Optimizer& optimizer() { return optimizer_; }

  void setTraining(Rows rows) { train_ = toDevice(std::move(rows)); }
  void setValidation(Rows rows) { validation_ = toDevice(std::move(rows)); }
  bool hasTraining() const { return train_.n > 0; }

  EpochResult runEpoch(const EpochArgs& a) {
    const auto started = std::chrono::steady_clock::now();
    flushDenormals();
    const at::Device dev = net_.device();
    const bool cuda = dev.is_cuda();
    std::unique_lock<std::mutex> lock(deviceGeneratorMutex(), std::defer_lock);
    c10::optional<at::Generator> dropoutGen;
    if (cuda) {
      lock.lock();
      at::Generator g = at::globalContext().defaultGenerator(dev);
      std::lock_guard<std::mutex> glock(g.mutex());
      g.set_current_seed(a.dropoutSeed);
    } else {
      dropoutGen = at::make_generator<at::CPUGeneratorImpl>(a.dropoutSeed);
    }
    at::Generator shuffle = at::make_generator<at::CPUGeneratorImpl>(a.shuffleSeed);
    at::Tensor order = at::randperm(train_.n, shuffle, at::TensorOptions().dtype(at::kLong));
    if (cuda) order = order.to(dev);

    optimizer_.setLearningRate(a.learningRate);
    const bool weighted = train_.w.defined();
    const bool penalised = net_.hasPenalty();
    std::vector<at::Tensor> params = net_.trainable();
    // the batches' outputs are kept and scored once at the end of the epoch (one vectorised
    // pass instead of a handful of small operations per step); the loss is summed on the host
    // on the CPU (its value is read every step anyway, for the non-finite check) and on the
    // device on CUDA (no synchronisation per step)
    at::Tensor outputs;
    double hostLossSum = 0;
    at::Tensor deviceLossSum = cuda ? at::zeros({}, at::TensorOptions().dtype(at::kDouble).device(dev)) : at::Tensor();
    EpochResult r;
    int64_t step = 0;
    for (int64_t start = 0; start < train_.n; start += a.batchSize, step++) {
      const int64_t b = std::min(a.batchSize, train_.n - start);
      at::Tensor idx = order.narrow(0, start, b);
      at::Tensor xb = train_.x.index_select(0, idx);
      at::Tensor yb = train_.y.index_select(0, idx);
      at::Tensor out = net_.forward(xb, true, dropoutGen, true);
      at::Tensor perSample = net_.sampleLossOf(yb, out);
      at::Tensor objective = weighted ? (perSample * train_.w.index_select(0, idx)).mean() : perSample.mean();
      if (penalised) objective = objective + net_.penalty();
      std::vector<at::Tensor> grads = torch::autograd::grad({objective}, params);
      {
        at::NoGradGuard guard;
        if (!cuda) {
          const double value = objective.item<double>();
          if (!std::isfinite(value)) {
            r.nonFiniteStep = step + 1;
            r.nonFiniteValue = value;
            return r;
          }
          hostLossSum += value * static_cast<double>(b);
        } else {
          deviceLossSum += objective.detach().to(at::kDouble) * static_cast<double>(b);
        }
        if (!outputs.defined()) outputs = at::empty({train_.n, out.size(-1)}, out.options().requires_grad(false));
        outputs.narrow(0, start, b).copy_(out.detach());
      }
      clipGradients(grads, net_.plan().clipNorm, net_.plan().clipValue);
      optimizer_.step(net_.params(), grads);
    }
    {
      at::NoGradGuard guard;
      r.loss = (cuda ? deviceLossSum.item<double>() : hostLossSum) / static_cast<double>(train_.n);
      r.score = outputs.defined() ? epochScore(outputs, order).to(at::kDouble).sum().item<double>() /
                                        static_cast<double>(train_.n)
                                  : 0.0;
    }
    if (cuda && !std::isfinite(r.loss)) {
      r.nonFiniteStep = step;
      r.nonFiniteValue = r.loss;
      return r;
    }
    r.trainMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (validation_.n > 0) {
      auto [l, s] = evaluate(validation_, a.batchSize);
      r.hasValidation = true;
      r.valLoss = l;
      r.valScore = s;
    }
    return r;
  }

  /**
   * The per-sample scores [n] of an epoch's outputs (row k is training row order[k]), computed a
   * block of rows at a time into one tensor: the same values as scoring the whole epoch at once
   * (every step is per row), without its whole-epoch temporaries (the targets gathered in the
   * epoch's order and the head's activations, each as large as the outputs).
   */
  at::Tensor epochScore(const at::Tensor& outputs, const at::Tensor& order) {
    constexpr int64_t kBlock = 1 << 16;
    at::Tensor scores = at::empty({train_.n}, outputs.options().dtype(at::kFloat));
    for (int64_t start = 0; start < train_.n; start += kBlock) {
      const int64_t b = std::min(kBlock, train_.n - start);
      at::Tensor y = train_.y.index_select(0, order.narrow(0, start, b));
      scores.narrow(0, start, b).copy_(net_.sampleScore(y, net_.head(outputs.narrow(0, start, b))));
    }
    return scores;
  }

  /** Mean sample loss (+ penalties) and mean score in inference mode, batch by batch. */
  std::pair<double, double> evaluate(const Rows& set, int64_t batchSize) {
    at::NoGradGuard guard;
    flushDenormals();
    double lossSum = 0, scoreSum = 0;
    for (int64_t start = 0; start < set.n; start += batchSize) {
      const int64_t b = std::min(batchSize, set.n - start);
      at::Tensor xb = set.x.narrow(0, start, b);
      at::Tensor yb = set.y.narrow(0, start, b);
      at::Tensor out = net_.forward(xb, false, c10::nullopt, true);
      lossSum += net_.sampleLossOf(yb, out).sum().item<double>();
      scoreSum += net_.sampleScore(yb, net_.head(out)).sum().item<double>();
    }
    const double penalty = net_.hasPenalty() ? net_.penalty().item<double>() : 0.0;
    return {lossSum / static_cast<double>(set.n) + penalty, scoreSum / static_cast<double>(set.n)};
  }

  /** Outputs [n, k] in inference mode, fed in batches; the result lives on the CPU. */
  at::Tensor predict(const at::Tensor& x, int64_t batchSize) {
    at::NoGradGuard guard;
    flushDenormals();
    const at::Device dev = net_.device();
    std::vector<at::Tensor> parts;
    for (int64_t start = 0; start < x.size(0); start += batchSize) {
      const int64_t b = std::min(batchSize, x.size(0) - start);
      at::Tensor xb = x.narrow(0, start, b).to(dev);
      parts.push_back(net_.forward(xb, false, c10::nullopt).to(at::kCPU));
    }
    return parts.empty() ? at::empty({0}) : at::cat(parts, 0).contiguous();
  }

 private:
  Rows toDevice(Rows rows) {
    const at::Device dev = net_.device();
    if (dev.is_cpu()) return rows;
    rows.x = rows.x.to(dev);
    rows.y = rows.y.to(dev);
    if (rows.w.defined()) rows.w = rows.w.to(dev);
    return rows;
  }

  Network net_;
  Optimizer optimizer_;
  Rows train_, validation_;
};

}  // namespace myelin
