#pragma once

// A mutex and its lock that Clang's thread-safety analysis understands (-Wthread-safety, on in
// every Clang build: the fuzz preset compiles the ledger with it as an error). Members a mutex
// guards say so with BARRAGE_GUARDED_BY(mutex_), functions that need it held with
// BARRAGE_REQUIRES(mutex_); Clang then refuses code that touches them without the lock. With
// GCC the annotations are empty.

#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define BARRAGE_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define BARRAGE_THREAD_ANNOTATION(x)
#endif

#define BARRAGE_CAPABILITY(x) BARRAGE_THREAD_ANNOTATION(capability(x))
#define BARRAGE_SCOPED_CAPABILITY BARRAGE_THREAD_ANNOTATION(scoped_lockable)
#define BARRAGE_GUARDED_BY(x) BARRAGE_THREAD_ANNOTATION(guarded_by(x))
#define BARRAGE_PT_GUARDED_BY(x) BARRAGE_THREAD_ANNOTATION(pt_guarded_by(x))
#define BARRAGE_REQUIRES(...) BARRAGE_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define BARRAGE_ACQUIRE(...) BARRAGE_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define BARRAGE_RELEASE(...) BARRAGE_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define BARRAGE_EXCLUDES(...) BARRAGE_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))

namespace barrage {

class BARRAGE_CAPABILITY("mutex") Mutex {
public:
    void lock() BARRAGE_ACQUIRE() { mutex_.lock(); }
    void unlock() BARRAGE_RELEASE() { mutex_.unlock(); }

private:
    friend class MutexLock;
    std::mutex mutex_;
};

// Holds a Mutex for its scope. wait() is a condition variable's wait: the analysis sees the
// mutex held throughout, which is true whenever the caller's code runs.
class BARRAGE_SCOPED_CAPABILITY MutexLock {
public:
    explicit MutexLock(Mutex& mutex) BARRAGE_ACQUIRE(mutex) : lock_(mutex.mutex_) {}
    ~MutexLock() BARRAGE_RELEASE() {}
    MutexLock(const MutexLock&) = delete;
    MutexLock& operator=(const MutexLock&) = delete;

    template <class Condition>
    void wait(Condition& condition) {
        condition.wait(lock_);
    }
    template <class Condition, class TimePoint>
    std::cv_status wait_until(Condition& condition, TimePoint deadline) {
        return condition.wait_until(lock_, deadline);
    }

private:
    std::unique_lock<std::mutex> lock_;
};

}  // namespace barrage
