use clap::Parser;

fn main() {
    let cli = hoagiai::cli::Cli::parse();
    if let Err(message) = hoagiai::cli::run(cli) {
        eprintln!("hoagiai: {message}");
        std::process::exit(1);
    }
}
