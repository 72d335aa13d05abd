use std::process::ExitCode;

use clap::Parser;

use arriendo::cli::Cli;

#[tokio::main]
async fn main() -> ExitCode {
    // A missing .env is normal; values already in the environment win over the file.
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    arriendo::telemetry::init(cli.global.log_format);
    match arriendo::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(err.exit_code())
        }
    }
}
