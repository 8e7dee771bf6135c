//! Spreadsheets officers print and file: the page set up so that the sheet prints as the paper
//! form does — paper size, orientation, margins, fitted to the page, the title rows repeated.

use rust_xlsxwriter::{Worksheet, XlsxError};

/// How a sheet prints.
pub struct PageSetup {
    pub landscape: bool,
    /// Fit to this many pages wide and tall (0: as many as needed).
    pub fit: (u16, u16),
    /// Rows repeated at the top of every printed page (first, last), if any.
    pub repeat_rows: Option<(u32, u32)>,
}

/// A4 (paper size 9), the orientation and fit asked for, 15 mm margins, centred across.
pub fn set_up(ws: &mut Worksheet, setup: &PageSetup) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    if setup.landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_margins(0.6, 0.6, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    ws.set_print_fit_to_pages(setup.fit.0, setup.fit.1);
    if let Some((first, last)) = setup.repeat_rows {
        ws.set_repeat_rows(first, last)?;
    }
    Ok(())
}

/// The error of a spreadsheet that could not be built: logged, 500.
pub fn failed(e: XlsxError) -> crate::error::ApiError {
    tracing::error!(error = %e, "a spreadsheet could not be built");
    crate::error::ApiError::internal()
}
