// N-API surface of the addon (the TypeScript side of it: src/torch-addon.ts). Long work (an
// epoch, a prediction) is queued through Napi::AsyncWorker and answers a Promise, so the event
// loop, progress events and signal handlers keep running meanwhile; the libuv thread that picks
// it up hands it to the session's own compute thread (compute-thread.h says why) and waits.
#pragma once

#include <napi.h>
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/version.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <atomic>
#include <memory>
#include <string>

#include "compute-thread.h"
#include "trainer.h"

namespace myelin {

inline std::string errorText(const std::exception& e) {
  if (const auto* c = dynamic_cast<const c10::Error*>(&e)) return c->what_without_backtrace();
  return e.what();
}

// ---- reading options --------------------------------------------------------------------

inline Napi::Value field(const Napi::Object& o, const char* name) { return o.Get(name); }

inline double number(const Napi::Object& o, const char* name, double fallback) {
  Napi::Value v = o.Get(name);
  return v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : fallback;
}

inline std::string text(const Napi::Object& o, const char* name) {
  Napi::Value v = o.Get(name);
  if (!v.IsString()) throw Napi::TypeError::New(o.Env(), std::string("expected a string for ") + name);
  return v.As<Napi::String>().Utf8Value();
}

inline Act parseAct(const Napi::Env& env, const std::string& s) {
  if (s == "linear") return Act::Linear;
  if (s == "relu") return Act::Relu;
  if (s == "sigmoid") return Act::Sigmoid;
  if (s == "tanh") return Act::Tanh;
  if (s == "softmax") return Act::Softmax;
  if (s == "elu") return Act::Elu;
  if (s == "selu") return Act::Selu;
  if (s == "gelu") return Act::Gelu;
  if (s == "swish") return Act::Swish;
  throw Napi::TypeError::New(env, "unknown activation " + s);
}

inline Loss parseLoss(const Napi::Env& env, const std::string& s) {
  if (s == "binaryCrossentropy") return Loss::BinaryCrossentropy;
  if (s == "categoricalCrossentropy") return Loss::CategoricalCrossentropy;
  if (s == "meanSquaredError") return Loss::MeanSquaredError;
  if (s == "meanAbsoluteError") return Loss::MeanAbsoluteError;
  throw Napi::TypeError::New(env, "unknown loss " + s);
}

inline Opt parseOpt(const Napi::Env& env, const std::string& s) {
  if (s == "sgd") return Opt::Sgd;
  if (s == "momentum") return Opt::Momentum;
  if (s == "adam") return Opt::Adam;
  if (s == "rmsprop") return Opt::RmsProp;
  throw Napi::TypeError::New(env, "unknown optimizer " + s);
}

inline LayerPlan parseLayer(const Napi::Env& env, const Napi::Object& o) {
  LayerPlan l;
  const std::string kind = text(o, "kind");
  if (o.Get("activation").IsString()) l.act = parseAct(env, text(o, "activation"));
  l.l1 = number(o, "l1", 0);
  l.l2 = number(o, "l2", 0);
  if (kind == "dense") {
    l.kind = Kind::Dense;
    l.in = static_cast<int64_t>(number(o, "inputs", 0));
    l.units = static_cast<int64_t>(number(o, "units", 0));
  } else if (kind == "dropout") {
    l.kind = Kind::Dropout;
    l.rate = number(o, "rate", 0);
  } else if (kind == "batchNormalization") {
    l.kind = Kind::BatchNorm;
    l.in = static_cast<int64_t>(number(o, "features", 0));
    l.momentum = number(o, "momentum", 0.99);
    l.epsilon = number(o, "epsilon", 1e-3);
  } else if (kind == "conv2d") {
    l.kind = Kind::Conv2d;
    l.in = static_cast<int64_t>(number(o, "inChannels", 0));
    l.units = static_cast<int64_t>(number(o, "filters", 0));
  } else if (kind == "maxPooling2d") {
    l.kind = Kind::MaxPool2d;
  } else if (kind == "flatten") {
    l.kind = Kind::Flatten;
  } else {
    throw Napi::TypeError::New(env, "the torch engine has no layer \"" + kind + "\"");
  }
  if (l.kind == Kind::Conv2d || l.kind == Kind::MaxPool2d) {
    l.kh = static_cast<int64_t>(number(o, "kernelHeight", 1));
    l.kw = static_cast<int64_t>(number(o, "kernelWidth", 1));
    l.sh = static_cast<int64_t>(number(o, "strideHeight", 1));
    l.sw = static_cast<int64_t>(number(o, "strideWidth", 1));
    l.padT = static_cast<int64_t>(number(o, "padTop", 0));
    l.padB = static_cast<int64_t>(number(o, "padBottom", 0));
    l.padL = static_cast<int64_t>(number(o, "padLeft", 0));
    l.padR = static_cast<int64_t>(number(o, "padRight", 0));
  }
  return l;
}

inline NetPlan parsePlan(const Napi::Env& env, const Napi::Object& o) {
  NetPlan p;
  Napi::Array shape = o.Get("inputShape").As<Napi::Array>();
  for (uint32_t i = 0; i < shape.Length(); i++)
    p.inputShape.push_back(static_cast<int64_t>(shape.Get(i).As<Napi::Number>().Int64Value()));
  Napi::Array layers = o.Get("layers").As<Napi::Array>();
  for (uint32_t i = 0; i < layers.Length(); i++) p.layers.push_back(parseLayer(env, layers.Get(i).As<Napi::Object>()));
  p.loss = parseLoss(env, text(o, "loss"));
  p.regression = o.Get("regression").ToBoolean().Value();
  Napi::Object opt = o.Get("optimizer").As<Napi::Object>();
  p.optimizer.name = parseOpt(env, text(opt, "name"));
  p.optimizer.learningRate = number(opt, "learningRate", 0.01);
  p.optimizer.momentum = number(opt, "momentum", 0);
  p.optimizer.beta1 = number(opt, "beta1", 0.9);
  p.optimizer.beta2 = number(opt, "beta2", 0.999);
  p.optimizer.epsilon = number(opt, "epsilon", 1e-7);
  p.optimizer.decay = number(opt, "decay", 0.9);
  p.clipNorm = number(o, "clipNorm", 0);
  p.clipValue = number(o, "clipValue", 0);
  p.device = o.Get("device").IsString() ? text(o, "device") : "cpu";
  return p;
}

// ---- tensors in and out ---------------------------------------------------------------

/** A CPU float tensor viewing a Float32Array's memory (no copy; the caller keeps it alive). */
inline at::Tensor viewOf(const Napi::Float32Array& a, std::vector<int64_t> shape) {
  return at::from_blob(const_cast<float*>(a.Data()), shape, at::TensorOptions().dtype(at::kFloat));
}

inline Napi::Float32Array toFloat32Array(const Napi::Env& env, const at::Tensor& t) {
  at::Tensor c = t.detach().to(at::kCPU).to(at::kFloat).contiguous();
  Napi::Float32Array out = Napi::Float32Array::New(env, static_cast<size_t>(c.numel()));
  if (c.numel() > 0) std::memcpy(out.Data(), c.data_ptr<float>(), sizeof(float) * static_cast<size_t>(c.numel()));
  return out;
}

inline Napi::Object namedArray(const Napi::Env& env, const std::string& name, const at::Tensor& t) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", name);
  Napi::Array shape = Napi::Array::New(env, static_cast<size_t>(t.dim()));
  for (int64_t i = 0; i < t.dim(); i++) shape.Set(static_cast<uint32_t>(i), Napi::Number::New(env, static_cast<double>(t.size(i))));
  o.Set("shape", shape);
  o.Set("dtype", "float32");
  o.Set("data", toFloat32Array(env, t));
  return o;
}

inline Napi::Array namedArrays(const Napi::Env& env, const std::vector<Named>& list) {
  Napi::Array out = Napi::Array::New(env, list.size());
  for (size_t i = 0; i < list.size(); i++) out.Set(static_cast<uint32_t>(i), namedArray(env, list[i].name, list[i].tensor));
  return out;
}

/** Copies named arrays into tensors of the same names and sizes, in place; errors name the first mismatch. */
inline void assignNamed(const Napi::Env& env, std::vector<Named>& into, const Napi::Array& from, const char* what) {
  if (from.Length() != into.size())
    throw Napi::Error::New(env, std::string(what) + " holds " + std::to_string(from.Length()) + " arrays, the model has " +
                                    std::to_string(into.size()));
  at::NoGradGuard guard;
  for (uint32_t i = 0; i < from.Length(); i++) {
    Napi::Object o = from.Get(i).As<Napi::Object>();
    const std::string name = text(o, "name");
    Named& t = into[i];
    if (name != t.name) throw Napi::Error::New(env, std::string(what) + " array " + std::to_string(i) + " is \"" + name + "\", expected \"" + t.name + "\"");
    Napi::Float32Array data = o.Get("data").As<Napi::Float32Array>();
    if (static_cast<int64_t>(data.ElementLength()) != t.tensor.numel())
      throw Napi::Error::New(env, std::string(what) + " \"" + name + "\" holds " + std::to_string(data.ElementLength()) +
                                      " values, expected " + std::to_string(t.tensor.numel()));
    t.tensor.copy_(viewOf(data, t.tensor.sizes().vec()));
  }
}

// ---- the Session class ------------------------------------------------------------------

class Session : public Napi::ObjectWrap<Session> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Session",
                       {InstanceMethod("setTrainingData", &Session::SetTrainingData),
                        InstanceMethod("setValidationData", &Session::SetValidationData),
                        InstanceMethod("runEpoch", &Session::RunEpoch),
                        InstanceMethod("predict", &Session::Predict),
                        InstanceMethod("getState", &Session::GetState),
                        InstanceMethod("setState", &Session::SetState),
                        InstanceMethod("getOptimizerState", &Session::GetOptimizerState),
                        InstanceMethod("setOptimizerState", &Session::SetOptimizerState),
                        InstanceMethod("forwardBackward", &Session::ForwardBackward),
                        InstanceMethod("dispose", &Session::Dispose)});
  }

  explicit Session(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Session>(info) {
    Napi::Env env = info.Env();
    if (!info[0].IsObject()) throw Napi::TypeError::New(env, "new Session(plan) needs a plan object");
    Napi::Object o = info[0].As<Napi::Object>();
    NetPlan plan = parsePlan(env, o);
    try {
      at::Device device(plan.device);
      if (device.is_cuda() && !torch::cuda::is_available())
        throw Napi::Error::New(env, "device " + plan.device + " asked for, but libtorch sees no CUDA device");
      trainer_ = std::make_unique<Trainer>(plan, device);
    } catch (const Napi::Error&) {
      throw;
    } catch (const std::exception& e) {
      throw Napi::Error::New(env, errorText(e));
    }
    if (o.Get("state").IsArray()) assignNamed(env, trainer_->net().state(), o.Get("state").As<Napi::Array>(), "the initial state");
  }

  Trainer& trainer() { return *trainer_; }
  std::atomic<bool>& busy() { return busy_; }
  /** The thread this session's epochs and predictions run on, started with the first of them. */
  ComputeThread& compute() {
    if (!compute_) compute_ = std::make_unique<ComputeThread>();
    return *compute_;
  }

 private:
  void ensureIdle(const Napi::Env& env) {
    if (!trainer_) throw Napi::Error::New(env, "the session was disposed");
    if (busy_) throw Napi::Error::New(env, "the session is busy with an epoch or a prediction");
  }

  Rows rowsOf(const Napi::CallbackInfo& info, std::vector<Napi::Reference<Napi::Float32Array>>& keep) {
    Napi::Env env = info.Env();
    Napi::Float32Array x = info[0].As<Napi::Float32Array>();
    Napi::Float32Array y = info[1].As<Napi::Float32Array>();
    const int64_t n = info[2].As<Napi::Number>().Int64Value();
    if (n <= 0 || x.ElementLength() % n != 0 || y.ElementLength() % n != 0)
      throw Napi::RangeError::New(env, "x and y must hold n rows each");
    Rows r;
    r.n = n;
    r.x = viewOf(x, {n, static_cast<int64_t>(x.ElementLength()) / n});
    r.y = viewOf(y, {n, static_cast<int64_t>(y.ElementLength()) / n});
    keep.clear();
    keep.push_back(Napi::Persistent(x));
    keep.push_back(Napi::Persistent(y));
    if (info.Length() > 3 && info[3].IsTypedArray()) {
      Napi::Float32Array w = info[3].As<Napi::Float32Array>();
      if (static_cast<int64_t>(w.ElementLength()) != n) throw Napi::RangeError::New(env, "w must hold n values");
      r.w = viewOf(w, {n});
      keep.push_back(Napi::Persistent(w));
    }
    return r;
  }

  Napi::Value SetTrainingData(const Napi::CallbackInfo& info) {
    ensureIdle(info.Env());
    trainer_->setTraining(rowsOf(info, keepTraining_));
    return info.Env().Undefined();
  }

  Napi::Value SetValidationData(const Napi::CallbackInfo& info) {
    ensureIdle(info.Env());
    trainer_->setValidation(rowsOf(info, keepValidation_));
    return info.Env().Undefined();
  }

  Napi::Value RunEpoch(const Napi::CallbackInfo& info);
  Napi::Value Predict(const Napi::CallbackInfo& info);

  Napi::Value GetState(const Napi::CallbackInfo& info) {
    ensureIdle(info.Env());
    return namedArrays(info.Env(), trainer_->net().state());
  }

  Napi::Value SetState(const Napi::CallbackInfo& info) {
    ensureIdle(info.Env());
    assignNamed(info.Env(), trainer_->net().state(), info[0].As<Napi::Array>(), "the state");
    return info.Env().Undefined();
  }

  Napi::Value GetOptimizerState(const Napi::CallbackInfo& info) {
    ensureIdle(info.Env());
    Napi::Env env = info.Env();
    Napi::Object o = Napi::Object::New(env);
    o.Set("iterations", Napi::Number::New(env, static_cast<double>(trainer_->optimizer().iterations())));
    o.Set("slots", namedArrays(env, trainer_->optimizer().slots()));
    return o;
  }

  Napi::Value SetOptimizerState(const Napi::CallbackInfo& info) {
    ensureIdle(info.Env());
    Napi::Object o = info[0].As<Napi::Object>();
    assignNamed(info.Env(), trainer_->optimizer().slots(), o.Get("slots").As<Napi::Array>(), "the optimizer state");
    trainer_->optimizer().setIterations(o.Get("iterations").As<Napi::Number>().Int64Value());
    return info.Env().Undefined();
  }

  /**
   * forwardBackward(x, n, upstream, training): outputs of the layers on x and the gradients of
   * Σ outputs·upstream with respect to x and every parameter — what the conformance suite
   * compares with the tfjs reference. Dropout masks come from seed 0.
   */
  Napi::Value ForwardBackward(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    ensureIdle(env);
    try {
      Napi::Float32Array xa = info[0].As<Napi::Float32Array>();
      const int64_t n = info[1].As<Napi::Number>().Int64Value();
      Napi::Float32Array ua = info[2].As<Napi::Float32Array>();
      const bool training = info[3].ToBoolean().Value();
      Network& net = trainer_->net();
      const at::Device dev = net.device();
      at::Tensor x = viewOf(xa, {n, static_cast<int64_t>(xa.ElementLength()) / n}).to(dev).clone().set_requires_grad(true);
      c10::optional<at::Generator> gen;
      if (dev.is_cpu()) gen = at::make_generator<at::CPUGeneratorImpl>(0);
      at::Tensor out = net.forward(x, training, gen);
      at::Tensor up = viewOf(ua, out.sizes().vec()).to(dev);
      std::vector<at::Tensor> inputs = net.trainable();
      inputs.insert(inputs.begin(), x);
      std::vector<at::Tensor> grads = torch::autograd::grad({(out * up).sum()}, inputs);
      Napi::Object o = Napi::Object::New(env);
      o.Set("output", toFloat32Array(env, out));
      o.Set("inputGrad", toFloat32Array(env, grads[0]));
      std::vector<Named> named;
      for (size_t i = 0; i < net.params().size(); i++) named.push_back({net.params()[i].name, grads[i + 1]});
      o.Set("grads", namedArrays(env, named));
      return o;
    } catch (const Napi::Error&) {
      throw;
    } catch (const std::exception& e) {
      throw Napi::Error::New(env, errorText(e));
    }
  }

  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    if (busy_) throw Napi::Error::New(info.Env(), "the session is busy with an epoch or a prediction");
    compute_.reset();  // joins the idle thread; its OpenMP pool goes with it
    trainer_.reset();
    keepTraining_.clear();
    keepValidation_.clear();
    return info.Env().Undefined();
  }

  std::unique_ptr<Trainer> trainer_;
  std::unique_ptr<ComputeThread> compute_;
  std::atomic<bool> busy_{false};
  std::vector<Napi::Reference<Napi::Float32Array>> keepTraining_, keepValidation_;
};

// ---- async work -------------------------------------------------------------------------

class EpochWorker : public Napi::AsyncWorker {
 public:
  EpochWorker(Napi::Env env, Session* session, Napi::Object self, EpochArgs args)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), session_(session), args_(args) {
    self_ = Napi::Persistent(self);
  }
  Napi::Promise promise() { return deferred_.Promise(); }

  void Execute() override {
    try {
      session_->compute().run([this] { result_ = session_->trainer().runEpoch(args_); });
    } catch (const std::exception& e) {
      SetError(errorText(e));
    }
  }

  void OnOK() override {
    session_->busy() = false;
    Napi::Env env = Env();
    Napi::Object o = Napi::Object::New(env);
    o.Set("loss", result_.loss);
    o.Set("score", result_.score);
    o.Set("trainMs", result_.trainMs);
    if (result_.hasValidation) {
      o.Set("valLoss", result_.valLoss);
      o.Set("valScore", result_.valScore);
    }
    if (result_.nonFiniteStep > 0) {
      o.Set("nonFiniteStep", static_cast<double>(result_.nonFiniteStep));
      o.Set("nonFiniteValue", result_.nonFiniteValue);
    }
    deferred_.Resolve(o);
  }

  void OnError(const Napi::Error& e) override {
    session_->busy() = false;
    deferred_.Reject(e.Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  Session* session_;
  Napi::ObjectReference self_;
  EpochArgs args_;
  EpochResult result_;
};

class PredictWorker : public Napi::AsyncWorker {
 public:
  PredictWorker(Napi::Env env, Session* session, Napi::Object self, Napi::Float32Array x, int64_t n, int64_t batchSize)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), session_(session), n_(n), batchSize_(batchSize) {
    self_ = Napi::Persistent(self);
    keep_ = Napi::Persistent(x);
    x_ = viewOf(x, {n, static_cast<int64_t>(x.ElementLength()) / n});
  }
  Napi::Promise promise() { return deferred_.Promise(); }

  void Execute() override {
    try {
      session_->compute().run([this] { out_ = session_->trainer().predict(x_, batchSize_); });
    } catch (const std::exception& e) {
      SetError(errorText(e));
    }
  }

  void OnOK() override {
    session_->busy() = false;
    deferred_.Resolve(toFloat32Array(Env(), out_));
  }

  void OnError(const Napi::Error& e) override {
    session_->busy() = false;
    deferred_.Reject(e.Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  Session* session_;
  Napi::ObjectReference self_;
  Napi::Reference<Napi::Float32Array> keep_;
  at::Tensor x_, out_;
  int64_t n_, batchSize_;
};

inline Napi::Value Session::RunEpoch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ensureIdle(env);
  if (!trainer_->hasTraining()) throw Napi::Error::New(env, "runEpoch before setTrainingData");
  Napi::Object a = info[0].As<Napi::Object>();
  EpochArgs args;
  args.epoch = static_cast<int64_t>(number(a, "epoch", 1));
  args.batchSize = static_cast<int64_t>(number(a, "batchSize", 32));
  args.learningRate = number(a, "learningRate", 0.01);
  args.shuffleSeed = static_cast<uint64_t>(number(a, "shuffleSeed", 0));
  args.dropoutSeed = static_cast<uint64_t>(number(a, "dropoutSeed", 0));
  if (args.batchSize < 1) throw Napi::RangeError::New(env, "batchSize must be ≥ 1");
  busy_ = true;
  auto* worker = new EpochWorker(env, this, info.This().As<Napi::Object>(), args);
  Napi::Promise p = worker->promise();
  worker->Queue();
  return p;
}

inline Napi::Value Session::Predict(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ensureIdle(env);
  Napi::Float32Array x = info[0].As<Napi::Float32Array>();
  const int64_t n = info[1].As<Napi::Number>().Int64Value();
  const int64_t batchSize = info.Length() > 2 && info[2].IsNumber() ? info[2].As<Napi::Number>().Int64Value() : 256;
  if (n <= 0 || x.ElementLength() % n != 0) throw Napi::RangeError::New(env, "x must hold n rows");
  busy_ = true;
  auto* worker = new PredictWorker(env, this, info.This().As<Napi::Object>(), x, n, std::max<int64_t>(1, batchSize));
  Napi::Promise p = worker->promise();
  worker->Queue();
  return p;
}

// ---- module functions -------------------------------------------------------------------

inline Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("torchVersion", TORCH_VERSION);
  o.Set("cudaAvailable", torch::cuda::is_available());
  o.Set("cudaDeviceCount", static_cast<double>(torch::cuda::device_count()));
  o.Set("threads", at::get_num_threads());
  o.Set("parallelInfo", at::get_parallel_info());
  o.Set("cxx11Abi", static_cast<bool>(_GLIBCXX_USE_CXX11_ABI));
  return o;
}

/**
 * Hands the C heap's free pages back to the system (glibc's malloc_trim: every arena, whole free
 * pages inside them too); true when some were. What Node and its workers freed before a training
 * (the data steps' buffers, a finished worker thread's arena) otherwise stays in the process's
 * resident set beside libtorch's and the session's own allocations. False where there is no glibc.
 */
inline Napi::Value TrimHeap(const Napi::CallbackInfo& info) {
#ifdef __GLIBC__
  return Napi::Boolean::New(info.Env(), malloc_trim(0) != 0);
#else
  return Napi::Boolean::New(info.Env(), false);
#endif
}

inline Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  const int n = info[0].As<Napi::Number>().Int32Value();
  if (n < 1) throw Napi::RangeError::New(info.Env(), "threads must be ≥ 1");
  at::set_num_threads(n);
  return Napi::Number::New(info.Env(), at::get_num_threads());
}

}  // namespace myelin
