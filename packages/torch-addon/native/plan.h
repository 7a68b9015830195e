// The model plan the addon trains: the layers of the engine-neutral ModelPlan
// (packages/training/src/model/model-plan.ts), with every shape already resolved in TypeScript.
#pragma once

#include <string>
#include <vector>

namespace myelin {

enum class Act { Linear, Relu, Sigmoid, Tanh, Softmax, Elu, Selu, Gelu, Swish };
enum class Loss { BinaryCrossentropy, CategoricalCrossentropy, MeanSquaredError, MeanAbsoluteError };
enum class Kind { Dense, Dropout, BatchNorm, Conv2d, MaxPool2d, Flatten };
enum class Opt { Sgd, Momentum, Adam, RmsProp };

struct LayerPlan {
  Kind kind = Kind::Dense;
  Act act = Act::Linear;
  // dense: in -> units; conv2d: inChannels -> filters
  int64_t in = 0;
  int64_t units = 0;
  double l1 = 0, l2 = 0;
  // dropout
  double rate = 0;
  // batch norm over `in` features (channels for images)
  double momentum = 0.99, epsilon = 1e-3;
  // conv2d / pooling: kernel, strides, explicit zero padding (top, bottom, left, right)
  int64_t kh = 1, kw = 1, sh = 1, sw = 1;
  int64_t padT = 0, padB = 0, padL = 0, padR = 0;
  // whether the layer sees image tensors (NCHW inside the addon)
  bool spatial = false;
};

struct OptimizerPlan {
  Opt name = Opt::Sgd;
  double learningRate = 0.01;
  double momentum = 0;
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, decay = 0.9;
};

struct NetPlan {
  std::vector<int64_t> inputShape;  // [d] or [h, w, c]
  std::vector<LayerPlan> layers;
  Loss loss = Loss::MeanSquaredError;
  bool regression = false;
  OptimizerPlan optimizer;
  double clipNorm = 0, clipValue = 0;
  std::string device = "cpu";
};

}  // namespace myelin
