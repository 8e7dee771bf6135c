use clap::Parser;

/// glibc keeps large freed blocks in the arena of the thread that freed them (its mmap and trim
/// thresholds grow with use), so the 19 MiB buffers of Argon2 password checks stayed resident.
/// mimalloc gives them back.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = hoagiai::cli::Cli::parse();
    if let Err(message) = hoagiai::cli::run(cli) {
        eprintln!("hoagiai: {message}");
        std::process::exit(1);
    }
}
