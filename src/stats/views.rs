//! What the statistics page draws and what its downloads hold: the charts
//! (geometry from `chart`) and the same figures as tables.

use super::chart::{self, Chart, Series};
use super::service::{Attainment, Statistics};
use crate::export::xlsx::StackedColumns;
use crate::export::{Cell, Table};
use crate::ledger::hr_export::decimal_hours;

/// Colours a chart has (`.s0`–`.s5` in app.css): with more groups than
/// that, the largest but one keep their own and the rest share one, as 기타.
const COLOURS: usize = 6;

/// A chart's text in the page's language (`{year}` filled in).
fn say(korean: &str, year: i32) -> String {
    let args = std::collections::HashMap::from([("year".to_string(), year.to_string())]);
    crate::i18n::text(crate::i18n::current(), korean, &args)
}

/// Whole hours, for a chart's bars (the tables keep the minutes exact).
fn whole_hours(minutes: i64) -> i64 {
    (minutes + 30).div_euclid(60)
}

pub fn charts(stats: &Statistics) -> Vec<Chart> {
    vec![
        hours_by_month(stats),
        compliance(stats),
        evaluation(stats),
        targets_by_grade(stats),
    ]
}

fn months(year: i32) -> Vec<String> {
    (1..=12).map(|m| say(&format!("{m}월"), year)).collect()
}

/// Hours by month, stacked by department: each group in its own colour, or,
/// when there are more than colours, the largest five and the rest together.
fn hours_by_month(stats: &Statistics) -> Chart {
    let mut groups: Vec<(String, Vec<i64>)> = stats
        .activity_by_group
        .iter()
        .map(|a| a.label.clone())
        .zip(
            stats
                .activity_by_group_and_month
                .iter()
                .map(|months| months.iter().map(|a| a.minutes).collect()),
        )
        .collect();
    groups.sort_by_key(|(_, m)| std::cmp::Reverse(m.iter().sum::<i64>()));
    let own = if groups.len() <= COLOURS {
        groups.len()
    } else {
        COLOURS - 1
    };
    let mut series: Vec<Series> = groups
        .iter()
        .take(own)
        .map(|(name, minutes)| Series {
            name: say(name, stats.year),
            values: minutes.iter().map(|m| whole_hours(*m)).collect(),
        })
        .collect();
    if groups.len() > own {
        series.push(Series {
            name: say("기타", stats.year),
            values: (0..12)
                .map(|m| whole_hours(groups[own..].iter().map(|(_, v)| v[m]).sum()))
                .collect(),
        });
    }
    chart::stacked(
        "chart-hours",
        &say("{year}년 월별 모임 시간(인·시간)", stats.year),
        &months(stats.year),
        &series,
    )
}

fn compliance(stats: &Statistics) -> Chart {
    let rows = &stats.compliance_by_month;
    let column = |f: fn(&super::service::ComplianceMonth) -> i64| rows.iter().map(f).collect();
    chart::stacked(
        "chart-compliance",
        &say("{year}년 월별 활동보고서 제출", stats.year),
        &rows
            .iter()
            .map(|r| {
                let month = r.month.get(5..).unwrap_or("").trim_start_matches('0');
                say(&format!("{month}월"), stats.year)
            })
            .collect::<Vec<_>>(),
        &[
            Series {
                name: say("기한 내 제출", stats.year),
                values: column(|r| r.on_time),
            },
            Series {
                name: say("지각 제출", stats.year),
                values: column(|r| r.late),
            },
            Series {
                name: say("미제출", stats.year),
                values: column(|r| r.missing),
            },
            Series {
                name: say("작성 중·미작성", stats.year),
                values: column(|r| r.not_submitted),
            },
        ],
    )
}

fn evaluation(stats: &Statistics) -> Chart {
    let rows = &stats.evaluation_by_half;
    let awarded = |h: &super::service::EvaluationHalf| h.grand + h.excellent + h.encouragement;
    chart::stacked(
        "chart-evaluation",
        &say("반기별 결과보고서 제출과 시상", stats.year),
        &rows.iter().map(|h| h.half.clone()).collect::<Vec<_>>(),
        &[
            Series {
                name: say("시상 동아리", stats.year),
                values: rows.iter().map(awarded).collect(),
            },
            Series {
                name: say("그 외 제출 동아리", stats.year),
                values: rows
                    .iter()
                    .map(|h| (h.results_reports - awarded(h)).max(0))
                    .collect(),
            },
        ],
    )
}

fn targets_by_grade(stats: &Statistics) -> Chart {
    let rows: Vec<&Attainment> = stats
        .targets_by_grade
        .iter()
        .filter(|r| r.with_target > 0)
        .collect();
    chart::stacked(
        "chart-targets",
        &say("{year}년 직급별 상시학습 목표 달성(명)", stats.year),
        &rows
            .iter()
            .map(|r| say(&r.label, stats.year))
            .collect::<Vec<_>>(),
        &[
            Series {
                name: say("달성", stats.year),
                values: rows.iter().map(|r| r.reached).collect(),
            },
            Series {
                name: say("미달", stats.year),
                values: rows.iter().map(|r| r.with_target - r.reached).collect(),
            },
        ],
    )
}

/// A download's sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Activity,
    Compliance,
    Evaluation,
    Targets,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Activity,
        Section::Compliance,
        Section::Evaluation,
        Section::Targets,
    ];

    pub fn parse(text: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.code() == text)
    }

    pub fn code(self) -> &'static str {
        match self {
            Section::Activity => "activity",
            Section::Compliance => "compliance",
            Section::Evaluation => "evaluation",
            Section::Targets => "targets",
        }
    }
}

pub fn table(stats: &Statistics, section: Section) -> Table {
    match section {
        Section::Activity => activity_table(stats),
        Section::Compliance => compliance_table(stats),
        Section::Evaluation => evaluation_table(stats),
        Section::Targets => targets_table(stats),
    }
}

/// The native chart a section's sheet carries in XLSX: reports by month
/// and prizes by half-year, stacked; the other sections are long tables.
pub fn xlsx_chart(stats: &Statistics, section: Section) -> Option<StackedColumns> {
    match section {
        Section::Compliance => Some(StackedColumns {
            title: format!("{}년 월별 활동보고서 제출", stats.year),
            series: 1..=4,
        }),
        Section::Evaluation => Some(StackedColumns {
            title: "반기별 시상 동아리".into(),
            series: 4..=6,
        }),
        Section::Activity | Section::Targets => None,
    }
}

/// Every group's month, with the office's months as 합계 rows.
fn activity_table(stats: &Statistics) -> Table {
    let mut rows = Vec::new();
    for (m, month) in stats.activity_by_month.iter().enumerate() {
        rows.push(vec![
            Cell::Text(format!("{}-{:02}", stats.year, m + 1)),
            Cell::from("합계"),
            Cell::Number(month.meetings),
            Cell::Number(month.attendances),
            Cell::Text(decimal_hours(month.minutes)),
        ]);
    }
    for (group, months) in stats
        .activity_by_group
        .iter()
        .zip(stats.activity_by_group_and_month.iter())
    {
        for (m, month) in months.iter().enumerate().filter(|(_, a)| a.meetings > 0) {
            rows.push(vec![
                Cell::Text(format!("{}-{:02}", stats.year, m + 1)),
                Cell::Text(group.label.clone()),
                Cell::Number(month.meetings),
                Cell::Number(month.attendances),
                Cell::Text(decimal_hours(month.minutes)),
            ]);
        }
    }
    Table {
        name: format!("{} 모임 활동", stats.year),
        headers: vec![
            "월",
            "부서",
            "모임 수",
            "참석 인원(연)",
            "모임 시간(인·시간)",
        ],
        rows,
    }
}

fn compliance_table(stats: &Statistics) -> Table {
    Table {
        name: format!("{} 보고서 제출", stats.year),
        headers: vec![
            "월",
            "기한 내 제출",
            "지각 제출",
            "미제출",
            "작성 중·미작성",
        ],
        rows: stats
            .compliance_by_month
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.month.clone()),
                    Cell::Number(r.on_time),
                    Cell::Number(r.late),
                    Cell::Number(r.missing),
                    Cell::Number(r.not_submitted),
                ]
            })
            .collect(),
    }
}

fn evaluation_table(stats: &Statistics) -> Table {
    Table {
        name: "반기별 평가".into(),
        headers: vec![
            "반기",
            "평가",
            "확정",
            "결과보고서",
            "최우수",
            "우수",
            "장려",
            "시상금(원)",
        ],
        rows: stats
            .evaluation_by_half
            .iter()
            .map(|h| {
                vec![
                    Cell::Text(h.half.clone()),
                    Cell::Text(h.title.clone()),
                    Cell::from(if h.confirmed { "확정" } else { "진행 중" }),
                    Cell::Number(h.results_reports),
                    Cell::Number(h.grand),
                    Cell::Number(h.excellent),
                    Cell::Number(h.encouragement),
                    Cell::Number(h.prize_krw),
                ]
            })
            .collect(),
    }
}

fn targets_table(stats: &Statistics) -> Table {
    let row = |kind: &str, r: &Attainment| {
        vec![
            Cell::from(kind),
            Cell::Text(r.label.clone()),
            Cell::Number(r.people),
            Cell::Number(r.with_target),
            Cell::Number(r.reached),
            r.percent.map_or(Cell::Text(String::new()), Cell::Number),
        ]
    };
    Table {
        name: format!("{} 목표 달성", stats.year),
        headers: vec![
            "구분",
            "부서·직급",
            "인원",
            "목표 대상",
            "달성",
            "달성률(%)",
        ],
        rows: stats
            .targets_by_group
            .iter()
            .map(|r| row("부서", r))
            .chain(stats.targets_by_grade.iter().map(|r| row("직급", r)))
            .collect(),
    }
}
