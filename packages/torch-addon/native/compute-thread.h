// The one native thread a session computes on. Its epochs and predictions are queued on libuv's
// pool (Napi::AsyncWorker), but a pool thread only hands the work here and waits: an OpenMP
// thread pool belongs to the thread that opens a parallel region, and libgomp counts the threads
// of every pool in the process; once they outnumber the cores it stops spinning between regions
// and puts its threads to sleep on a futex after each one. Epochs run on whichever of libuv's
// four threads picks them up, so a session with 2 intra-op threads grew four OpenMP pools and
// was throttled: the digits CNN (~40 small parallel regions per step) ran at less than half its
// 1-thread speed. One thread per session keeps one pool per training.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace myelin {

class ComputeThread {
 public:
  ComputeThread() : thread_([this] { loop(); }) {}
  ComputeThread(const ComputeThread&) = delete;
  ComputeThread& operator=(const ComputeThread&) = delete;

  ~ComputeThread() {
    {
      std::lock_guard<std::mutex> lock(m_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  /** Runs `work` on this thread and waits for it; rethrows what it threw. One caller at a time. */
  void run(std::function<void()> work) {
    std::unique_lock<std::mutex> lock(m_);
    task_ = std::move(work);
    done_ = false;
    failure_ = nullptr;
    cv_.notify_all();
    cv_.wait(lock, [this] { return done_; });
    if (failure_) std::rethrow_exception(failure_);
  }

 private:
  void loop() {
    std::unique_lock<std::mutex> lock(m_);
    for (;;) {
      cv_.wait(lock, [this] { return stop_ || static_cast<bool>(task_); });
      if (stop_) return;
      std::function<void()> work = std::move(task_);
      task_ = nullptr;
      lock.unlock();
      std::exception_ptr failure;
      try {
        work();
      } catch (...) {
        failure = std::current_exception();
      }
      lock.lock();
      failure_ = failure;
      done_ = true;
      cv_.notify_all();
    }
  }

  std::mutex m_;
  std::condition_variable cv_;
  std::function<void()> task_;
  bool done_ = false, stop_ = false;
  std::exception_ptr failure_;
  std::thread thread_;  // last: starts after the fields it reads are built
};

}  // namespace myelin
