//! XLSX workbooks (rust_xlsxwriter): one worksheet per table, a bold
//! header row that stays in view, whole numbers as numbers and dates and
//! instants as real date cells that spreadsheets sort and filter as dates;
//! where a table asks for one, a native Excel chart of its figures beside
//! it.

use std::ops::RangeInclusive;

use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, XlsxError};

use super::{Cell, Table};
use crate::error::{AppError, AppResult};

pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Sheet names: at most 31 characters, none of `[]:*?/\`, unique in the
/// workbook.
fn sheet_name(name: &str, taken: &[String]) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(28)
        .collect();
    let base = if cleaned.trim().is_empty() {
        "Sheet".to_string()
    } else {
        cleaned
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate)) {
        candidate = format!("{base} {n}");
        n += 1;
    }
    candidate
}

/// A chart of a table's figures in stacked columns: one column per row,
/// named by the row's first cell; one series per table column chosen.
#[derive(Debug, Clone)]
pub struct StackedColumns {
    pub title: String,
    /// The table's columns (0 is the first) that are the series.
    pub series: RangeInclusive<u16>,
}

/// The tables as one workbook.
pub fn workbook(tables: &[Table]) -> AppResult<Vec<u8>> {
    let plain: Vec<(&Table, Option<StackedColumns>)> = tables.iter().map(|t| (t, None)).collect();
    charted_workbook(&plain)
}

/// The tables as one workbook, each with its chart if it has one.
pub fn charted_workbook(tables: &[(&Table, Option<StackedColumns>)]) -> AppResult<Vec<u8>> {
    build(tables).map_err(|e| AppError::Internal(anyhow::anyhow!("an XLSX workbook: {e}")))
}

fn build(tables: &[(&Table, Option<StackedColumns>)]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let instant = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let mut names = Vec::new();
    for (table, chart) in tables {
        let name = sheet_name(&table.name, &names);
        let sheet = book.add_worksheet();
        sheet.set_name(&name)?;
        names.push(name.clone());
        for (col, title) in table.headers.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, *title, &header)?;
        }
        for (i, row) in table.rows.iter().enumerate() {
            let r = (i + 1) as u32;
            for (col, cell) in row.iter().enumerate() {
                let c = col as u16;
                match cell {
                    Cell::Text(text) => sheet.write_string(r, c, clean(text))?,
                    Cell::Number(n) => sheet.write_number(r, c, *n as f64)?,
                    Cell::Date(d) => sheet.write_date_with_format(r, c, d, &date)?,
                    Cell::DateTime(at) => sheet.write_datetime_with_format(r, c, at, &instant)?,
                };
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofit();
        if let Some(chart) = chart.as_ref().filter(|_| !table.rows.is_empty()) {
            let beside = table.headers.len() as u16 + 1;
            sheet.insert_chart(1, beside, &stacked_columns(&name, table, chart))?;
        }
    }
    book.save_to_buffer()
}

fn stacked_columns(sheet: &str, table: &Table, spec: &StackedColumns) -> Chart {
    let last_row = table.rows.len() as u32;
    let mut chart = Chart::new(ChartType::ColumnStacked);
    chart.title().set_name(spec.title.as_str());
    for col in spec.series.clone() {
        chart
            .add_series()
            .set_name((sheet, 0, col))
            .set_categories((sheet, 1, 0, last_row, 0))
            .set_values((sheet, 1, col, last_row, col));
    }
    chart
}

/// Control characters are not allowed in XML 1.0.
fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| (c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_cleaned_and_unique() {
        assert_eq!(sheet_name("순위/시상 [2026]", &[]), "순위시상 2026");
        assert_eq!(sheet_name("", &[]), "Sheet");
        let taken = vec!["시상".to_string()];
        assert_eq!(sheet_name("시상", &taken), "시상 2");
    }

    /// The chart is Excel's own: a chart part that reads its series from
    /// the sheet's cells.
    #[test]
    fn a_chart_reads_its_series_from_the_sheet() {
        let t = Table {
            name: "보고서 제출".into(),
            headers: vec!["월", "기한 내", "지각"],
            rows: vec![
                vec!["2026-03".into(), Cell::Number(11), Cell::Number(1)],
                vec!["2026-04".into(), Cell::Number(10), Cell::Number(2)],
            ],
        };
        let chart = StackedColumns {
            title: "월별 제출".into(),
            series: 1..=2,
        };
        let zip = charted_workbook(&[(&t, Some(chart))]).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut archive.by_name("xl/charts/chart1.xml").unwrap(),
            &mut xml,
        )
        .unwrap();
        assert!(xml.contains("<c:grouping val=\"stacked\"/>"), "{xml}");
        assert!(xml.contains("'보고서 제출'!$B$2:$B$3") && xml.contains("'보고서 제출'!$C$2:$C$3"));
        assert!(xml.contains("'보고서 제출'!$A$2:$A$3"));
    }

    #[test]
    fn a_workbook_is_a_zip() {
        let t = Table {
            name: "시상".into(),
            headers: vec!["동아리", "금액", "날짜"],
            rows: vec![vec![
                "R&D <연구회>\u{1}".into(),
                Cell::Number(500_000),
                Cell::Date(chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()),
            ]],
        };
        let zip = workbook(&[t]).unwrap();
        assert_eq!(&zip[..4], b"PK\x03\x04");
    }
}
