//! Tables for the HR office: CSV (UTF-8 with BOM, so Excel reads Korean;
//! dates written the way Excel reads them as dates) and XLSX workbooks.

pub mod xlsx;

/// A file a table is downloaded as, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn from_extension(extension: &str) -> Option<Format> {
        match extension {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => CSV_CONTENT_TYPE,
            Format::Xlsx => xlsx::CONTENT_TYPE,
        }
    }

    pub fn encode(self, table: Table) -> crate::error::AppResult<Vec<u8>> {
        match self {
            Format::Csv => Ok(csv(&table).into_bytes()),
            Format::Xlsx => xlsx::workbook(&[table]),
        }
    }
}

pub const CSV_CONTENT_TYPE: &str = "text/csv; charset=utf-8";

/// A cell: text, a whole number that spreadsheets should add up, or a day
/// or an instant (Seoul wall-clock time) that they should read as dates.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(i64),
    Date(chrono::NaiveDate),
    DateTime(chrono::NaiveDateTime),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Number(n)
    }
}

impl Cell {
    fn as_text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => n.to_string(),
            // The forms Excel reads as dates in any locale.
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::DateTime(at) => at.format("%Y-%m-%d %H:%M:%S").to_string(),
        }
    }
}

/// A named table with a header row.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// The table as CSV: a BOM, CRLF line ends, quoted where needed.
pub fn csv(table: &Table) -> String {
    let mut out = String::from("\u{feff}");
    let header: Vec<String> = table.headers.iter().map(|h| csv_cell(h)).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in &table.rows {
        let line: Vec<String> = row.iter().map(|c| csv_cell(&c.as_text())).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Quotes a cell when needed, and defuses spreadsheet formulas.
fn csv_cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let t = Table {
            name: "t".into(),
            headers: vec!["이름", "금액"],
            rows: vec![
                vec!["김, 철수".into(), Cell::Number(500_000)],
                vec!["=HYPERLINK(\"x\")".into(), Cell::Number(0)],
            ],
        };
        assert_eq!(
            csv(&t),
            "\u{feff}이름,금액\r\n\"김, 철수\",500000\r\n\"'=HYPERLINK(\"\"x\"\")\",0\r\n"
        );
    }
}
