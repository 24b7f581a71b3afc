//! Keeping a migration run on one CPU.
//!
//! sqlx runs SQLite on a worker thread, and a run hands every batch of
//! statements to it and waits for the results: two threads taking turns,
//! thousands of times. When the two sit on different CPUs, each turn wakes an
//! idle CPU, which on a virtual machine costs tens of microseconds (a
//! 1,000-revision upgrade spent about half its time so, `perf stat`); on one
//! CPU a turn is a plain context switch. The CLI's runtime is single-threaded,
//! so it keeps its main thread, and the worker thread it starts next, on the
//! CPU it is running on. The library never does this: an application's
//! threads are its own.

/// Pins the calling thread (and the threads it starts from now on) to the CPU
/// it runs on. Where that is not allowed or not known, nothing changes: this
/// only makes a run faster, never different.
#[cfg(target_os = "linux")]
pub fn stay_on_this_cpu() {
    use nix::sched::{CpuSet, sched_getcpu, sched_setaffinity};
    use nix::unistd::Pid;
    let Ok(cpu) = sched_getcpu() else {
        return;
    };
    let mut set = CpuSet::new();
    if set.set(cpu).is_ok() {
        let _ = sched_setaffinity(Pid::from_raw(0), &set);
    }
}

/// Elsewhere the scheduler decides.
#[cfg(not(target_os = "linux"))]
pub fn stay_on_this_cpu() {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use nix::sched::sched_getaffinity;
    use nix::unistd::Pid;

    #[test]
    fn the_thread_and_the_threads_it_starts_stay_on_one_cpu() {
        // On a thread of its own, so that no other test is pinned.
        std::thread::spawn(|| {
            super::stay_on_this_cpu();
            let count = |set: nix::sched::CpuSet| {
                (0..nix::sched::CpuSet::count())
                    .filter(|&cpu| set.is_set(cpu).unwrap_or(false))
                    .count()
            };
            let own = sched_getaffinity(Pid::from_raw(0)).unwrap();
            assert_eq!(count(own), 1);
            let child = std::thread::spawn(|| sched_getaffinity(Pid::from_raw(0)).unwrap())
                .join()
                .unwrap();
            assert_eq!(count(child), 1, "a worker thread started later inherits it");
        })
        .join()
        .unwrap();
    }
}
