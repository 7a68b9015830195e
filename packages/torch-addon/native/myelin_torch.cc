// The one translation unit of the addon: libtorch's headers are parsed once per build
// (ccache-friendly; the parts live in headers by purpose: plan, network, optimizer, trainer, bindings).
#include "bindings.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Session", myelin::Session::Define(env));
  exports.Set("info", Napi::Function::New(env, myelin::Info));
  exports.Set("setNumThreads", Napi::Function::New(env, myelin::SetNumThreads));
  exports.Set("trimHeap", Napi::Function::New(env, myelin::TrimHeap));
  return exports;
}

}  // namespace

NODE_API_MODULE(myelin_torch, Init)
