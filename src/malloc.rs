//! The server's memory given back after a large request.
//!
//! glibc raises its mmap threshold each time a large block is freed, so
//! after one big answer (a city hall's hours recognition: tens of MB) every
//! later large buffer comes from the heap and stays in the process. A fixed
//! threshold keeps large blocks in their own mappings, returned on free;
//! heap tops above a few MB are trimmed. And two arenas per core instead of
//! glibc's eight: each of the many blocking threads would otherwise keep an
//! arena of its own, with what it freed. Measured at Seoul scale: peak RSS
//! after a recognition and 64 connections on each hot page, then on the
//! standings, 170 → 135 MB. The glibc variables (`MALLOC_ARENA_MAX`, …)
//! still win when set.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn give_back_large_blocks() {
    const MMAP_THRESHOLD: libc::c_int = 1 << 20;
    const TRIM_THRESHOLD: libc::c_int = 4 << 20;
    if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_none() {
        // SAFETY: mallopt only sets allocator parameters; called before
        // any other thread exists.
        unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD) };
    }
    if std::env::var_os("MALLOC_TRIM_THRESHOLD_").is_none() {
        // SAFETY: as above.
        unsafe { libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD) };
    }
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let arenas = libc::c_int::try_from(2 * cores).unwrap_or(libc::c_int::MAX);
        // SAFETY: as above.
        unsafe { libc::mallopt(libc::M_ARENA_MAX, arenas) };
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn give_back_large_blocks() {}
