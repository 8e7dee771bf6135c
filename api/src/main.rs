use clap::Parser;

/// glibc keeps large freed blocks in the arena of the thread that freed them (its mmap and trim
/// thresholds grow with use), so the 19 MiB buffers of Argon2 password checks stayed resident.
/// mimalloc gives them back.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's settings for a long-running server. By default it commits its arenas eagerly on
/// Linux and purges freed memory a second later by resetting pages that stay counted as resident:
/// the server sat at 63 MB idle and 109 MB after a burst of creates. Committing on demand and
/// purging at once gives the memory back — 37 MB idle, 56 MB after the same burst, at the same
/// throughput (docs/performance.md). mimalloc reads these when the process starts, before `main`,
/// so they can only come from the environment.
///
/// SQLite allocates with the C library's `malloc`, not mimalloc, and glibc gives each thread that
/// runs statements an arena of its own (up to eight per core), each keeping what was freed in it.
/// With the case create's duplicate check on the blocking pool, the peak under 64 concurrent
/// creates rose from 84 to 104 MB; two arenas keep it at 84 MB at the same throughput.
const ALLOCATOR_SETTINGS: [(&str, &str); 3] =
    [("MIMALLOC_ARENA_EAGER_COMMIT", "0"), ("MIMALLOC_PURGE_DELAY", "0"), ("MALLOC_ARENA_MAX", "2")];

/// Starts this program again, same process id and arguments, with the allocator settings in its
/// environment — unless they are there already (the second start, or the operator's own choice).
/// If that fails, the server runs with mimalloc's defaults.
#[cfg(unix)]
fn restart_with_allocator_settings() {
    use std::os::unix::process::CommandExt;
    if ALLOCATOR_SETTINGS.iter().any(|(name, _)| std::env::var_os(name).is_some()) {
        return;
    }
    let Ok(exe) = std::env::current_exe() else { return };
    let mut args = std::env::args_os();
    let arg0 = args.next().unwrap_or_else(|| exe.clone().into_os_string());
    // `exec` returns only when it failed.
    let _ = std::process::Command::new(&exe).arg0(arg0).args(args).envs(ALLOCATOR_SETTINGS).exec();
}

#[cfg(not(unix))]
fn restart_with_allocator_settings() {}

fn main() {
    restart_with_allocator_settings();
    let cli = hoagiai::cli::Cli::parse();
    if let Err(message) = hoagiai::cli::run(cli) {
        eprintln!("hoagiai: {message}");
        std::process::exit(1);
    }
}
