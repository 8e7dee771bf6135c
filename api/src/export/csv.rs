//! CSV files as every one of ours is written: UTF-8 with a byte-order mark (so Excel reads the
//! Vietnamese), CRLF line ends (RFC 4180), one table per file, and the formula guard on every
//! text cell.

use crate::error::ApiError;

/// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): such
/// text gets a leading apostrophe, so that a name or a note typed by anyone can never run as a
/// formula on an officer's computer. Numbers written as numbers are not text and pass as they are.
pub fn guard(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// One table being written.
pub struct Table {
    out: ::csv::Writer<Vec<u8>>,
}

impl Default for Table {
    fn default() -> Self {
        Self::new()
    }
}

impl Table {
    pub fn new() -> Table {
        Table { out: ::csv::WriterBuilder::new().flexible(true).terminator(::csv::Terminator::CRLF).from_writer(Vec::new()) }
    }

    /// A row of text cells, each guarded.
    pub fn row<I, S>(&mut self, cells: I) -> Result<(), ApiError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let guarded: Vec<String> = cells.into_iter().map(|c| guard(c.as_ref())).collect();
        self.out.write_record(&guarded).map_err(|_| ApiError::internal())
    }

    /// The file: BOM, then the rows.
    pub fn finish(self) -> Result<Vec<u8>, ApiError> {
        let mut bytes = "\u{feff}".as_bytes().to_vec();
        bytes.extend(self.out.into_inner().map_err(|_| ApiError::internal())?);
        Ok(bytes)
    }
}

/// A cell of a mixed row: text (guarded) or a number (as it is: a negative number is a number,
/// not a formula).
pub enum Cell {
    Text(String),
    Number(String),
}

impl Table {
    /// A row whose cells are text or numbers: text is guarded, numbers are written as they are.
    pub fn mixed(&mut self, cells: Vec<Cell>) -> Result<(), ApiError> {
        let out: Vec<String> = cells
            .into_iter()
            .map(|c| match c {
                Cell::Text(s) => guard(&s),
                Cell::Number(n) => n,
            })
            .collect();
        self.out.write_record(&out).map_err(|_| ApiError::internal())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_lines_end_in_crlf() {
        let mut t = Table::new();
        t.row(["=HYPERLINK(\"x\")", "+1", "Nguyễn Văn An", "-2", "@SUM(A1)"]).unwrap();
        t.mixed(vec![Cell::Text("-x".into()), Cell::Number("-3".into())]).unwrap();
        let s = String::from_utf8(t.finish().unwrap()).unwrap();
        assert!(s.starts_with('\u{feff}'));
        assert_eq!(&s['\u{feff}'.len_utf8()..], "\"'=HYPERLINK(\"\"x\"\")\",'+1,Nguyễn Văn An,'-2,'@SUM(A1)\r\n'-x,-3\r\n");
    }
}
