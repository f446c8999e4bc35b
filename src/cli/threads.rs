//! rayon's threads for a build, each kept on a processor of its own.
//!
//! Measured on the 2-core virtual machine this project is developed on: a
//! `rayon::join` whose second half must wake a sleeping worker started that
//! half about 2 ms late in the median (`join` of two 2 ms halves: 3.8 ms,
//! not 2.1), because the woken worker was queued behind the one that woke
//! it. With each worker bound to a processor of its own the same `join`
//! takes 2.1 ms, every time. A build joins twice (cover and layout, then
//! EPUB and PDF), with halves of a few milliseconds each.
//!
//! The main thread stays free to run anywhere. `QALAM_NO_PIN=1` turns the
//! binding off (for a machine where other work keeps one processor busy).

/// Makes the global thread pool, with workers bound to processors where
/// the system allows it. Call before anything else uses rayon; later calls
/// (and a pool made already) change nothing.
pub fn start() {
    let mut builder = rayon::ThreadPoolBuilder::new();
    let cpus = allowed_cpus();
    if cpus.len() >= 2 && std::env::var_os("QALAM_NO_PIN").is_none() {
        builder = builder.start_handler(move |i| pin(cpus[i % cpus.len()]));
    }
    // An error only means the pool exists already.
    let _ = builder.build_global();
}

#[cfg(target_os = "linux")]
mod sys {
    /// `cpu_set_t`: 1024 bits.
    pub type CpuSet = [u64; 16];

    unsafe extern "C" {
        pub fn sched_getaffinity(pid: i32, size: usize, mask: *mut CpuSet) -> i32;
        pub fn sched_setaffinity(pid: i32, size: usize, mask: *const CpuSet) -> i32;
    }
}

/// The processors this process may run on, in order.
#[cfg(target_os = "linux")]
fn allowed_cpus() -> Vec<usize> {
    let mut set: sys::CpuSet = [0; 16];
    // SAFETY: the mask is a valid, writable cpu_set_t of the size passed;
    // pid 0 is this thread.
    let ok = unsafe { sys::sched_getaffinity(0, size_of::<sys::CpuSet>(), &mut set) } == 0;
    if !ok {
        return Vec::new();
    }
    (0..set.len() * 64)
        .filter(|&c| set[c / 64] & (1 << (c % 64)) != 0)
        .collect()
}

/// Binds the calling thread to processor `cpu`; failure leaves it free.
#[cfg(target_os = "linux")]
fn pin(cpu: usize) {
    let mut set: sys::CpuSet = [0; 16];
    set[cpu / 64] |= 1 << (cpu % 64);
    // SAFETY: the mask is a valid cpu_set_t of the size passed; pid 0 is
    // the calling thread; the call changes nothing but where it may run.
    let _ = unsafe { sys::sched_setaffinity(0, size_of::<sys::CpuSet>(), &set) };
}

#[cfg(not(target_os = "linux"))]
fn allowed_cpus() -> Vec<usize> {
    Vec::new()
}

#[cfg(not(target_os = "linux"))]
fn pin(_cpu: usize) {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_thread_runs_on_its_processor_only() {
        let cpus = allowed_cpus();
        assert!(!cpus.is_empty());
        let last = *cpus.last().expect("one processor at least");
        // On a thread of its own: binding it must not bind the tests.
        let after = std::thread::spawn(move || {
            pin(last);
            allowed_cpus()
        })
        .join()
        .expect("the thread ends");
        assert_eq!(after, vec![last]);
        assert_eq!(allowed_cpus(), cpus);
    }
}
