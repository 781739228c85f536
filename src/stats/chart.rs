//! Bar charts as geometry for a server-rendered SVG
//! (`templates/macros/chart.html`): one bar per category, its series
//! stacked, on a scale with round ticks. The arithmetic is here, pure and
//! tested; the template only draws it, and every page shows the same
//! numbers in a table beside the chart for those who cannot see it.

use serde::Serialize;

const WIDTH: i64 = 640;
const HEIGHT: i64 = 240;
const LEFT: i64 = 56;
const RIGHT: i64 = 8;
const TOP: i64 = 12;
const BOTTOM: i64 = 28;
/// A bar never wider than this, however few the categories.
const WIDEST_BAR: i64 = 56;

/// One stacked part of every bar: its name and a value per category.
pub struct Series {
    pub name: String,
    pub values: Vec<i64>,
}

#[derive(Debug, Serialize)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub width: i64,
    pub height: i64,
    pub plot_left: i64,
    pub plot_right: i64,
    pub plot_bottom: i64,
    pub bars: Vec<Bar>,
    pub ticks: Vec<Tick>,
    pub legend: Vec<Legend>,
}

#[derive(Debug, Serialize)]
pub struct Bar {
    pub label: String,
    pub x: i64,
    pub width: i64,
    /// Where the label under the bar is centred.
    pub label_x: i64,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Serialize)]
pub struct Segment {
    /// Which series (its colour: class `s{series}`).
    pub series: usize,
    pub y: i64,
    pub height: i64,
    pub value: i64,
}

#[derive(Debug, Serialize)]
pub struct Tick {
    pub y: i64,
    pub value: i64,
}

#[derive(Debug, Serialize)]
pub struct Legend {
    pub series: usize,
    pub name: String,
}

/// A round step for about four ticks up to `max`, and the top of the
/// scale (a multiple of the step, at least `max`): 1, 2 or 5 times a
/// power of ten.
pub fn scale(max: i64) -> (i64, i64) {
    let max = max.max(1);
    let rough = (max + 3) / 4;
    let mut power = 1;
    while power * 10 <= rough {
        power *= 10;
    }
    let step = [1, 2, 5, 10]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10 * power);
    (step, (max + step - 1) / step * step)
}

/// A stacked bar chart of the series over the categories. Negative values
/// (a correction outweighing a month) are drawn as nothing; the table
/// beside the chart still shows them.
pub fn stacked(id: &str, title: &str, categories: &[String], series: &[Series]) -> Chart {
    let totals: Vec<i64> = (0..categories.len())
        .map(|i| {
            series
                .iter()
                .map(|s| s.values.get(i).copied().unwrap_or(0).max(0))
                .sum()
        })
        .collect();
    let (step, top) = scale(totals.iter().copied().max().unwrap_or(0));
    let plot_height = HEIGHT - TOP - BOTTOM;
    let plot_bottom = HEIGHT - BOTTOM;
    let plot_width = WIDTH - LEFT - RIGHT;
    let slot = plot_width / i64::try_from(categories.len().max(1)).unwrap_or(1);
    let bar_width = (slot * 7 / 10).clamp(1, WIDEST_BAR);
    let pixels = |value: i64| value * plot_height / top;
    let bars = categories
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let slot_left = LEFT + slot * i64::try_from(i).unwrap_or(0);
            let mut below = 0;
            let segments = series
                .iter()
                .enumerate()
                .filter_map(|(n, s)| {
                    let value = s.values.get(i).copied().unwrap_or(0);
                    let height = pixels(below + value.max(0)) - pixels(below);
                    below += value.max(0);
                    (value > 0).then(|| Segment {
                        series: n,
                        y: plot_bottom - pixels(below),
                        height,
                        value,
                    })
                })
                .collect();
            Bar {
                label: label.clone(),
                x: slot_left + (slot - bar_width) / 2,
                width: bar_width,
                label_x: slot_left + slot / 2,
                segments,
            }
        })
        .collect();
    let ticks = (0..=top / step)
        .map(|k| Tick {
            y: plot_bottom - pixels(k * step),
            value: k * step,
        })
        .collect();
    Chart {
        id: id.to_string(),
        title: title.to_string(),
        width: WIDTH,
        height: HEIGHT,
        plot_left: LEFT,
        plot_right: WIDTH - RIGHT,
        plot_bottom,
        bars,
        ticks,
        legend: series
            .iter()
            .enumerate()
            .map(|(n, s)| Legend {
                series: n,
                name: s.name.clone(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_are_round_and_reach_the_largest_value() {
        assert_eq!(scale(0), (1, 1));
        assert_eq!(scale(3), (1, 3));
        assert_eq!(scale(7), (2, 8));
        assert_eq!(scale(10), (5, 10));
        assert_eq!(scale(37), (10, 40));
        assert_eq!(scale(100), (50, 100));
        assert_eq!(scale(1234), (500, 1500));
        assert_eq!(scale(42_443), (20_000, 60_000));
    }

    #[test]
    fn stacks_sum_to_the_total_and_stand_on_the_axis() {
        let months = vec!["1월".to_string(), "2월".to_string()];
        let chart = stacked(
            "c",
            "제출",
            &months,
            &[
                Series {
                    name: "기한 내".into(),
                    values: vec![6, 2],
                },
                Series {
                    name: "지연".into(),
                    values: vec![2, 0],
                },
            ],
        );
        // Top of the scale 8: 200 px of plot, 25 px a unit.
        let first = &chart.bars[0];
        assert_eq!(first.segments.len(), 2);
        assert_eq!(first.segments[0].height, 150);
        assert_eq!(first.segments[0].y + 150, chart.plot_bottom);
        assert_eq!(first.segments[1].height, 50);
        assert_eq!(first.segments[1].y + 50, first.segments[0].y);
        assert_eq!(first.segments[1].y, chart.plot_bottom - 200);
        // A zero draws nothing.
        assert_eq!(chart.bars[1].segments.len(), 1);
        assert_eq!(chart.ticks.first().map(|t| t.value), Some(0));
        assert_eq!(chart.ticks.last().map(|t| (t.value, t.y)), Some((8, 12)));
        assert!(chart.bars[1].x > first.x + first.width);
    }

    #[test]
    fn a_negative_value_is_not_drawn_and_few_bars_stay_narrow() {
        let chart = stacked(
            "c",
            "t",
            &["2026 상반기".to_string()],
            &[Series {
                name: "a".into(),
                values: vec![-5],
            }],
        );
        assert!(chart.bars[0].segments.is_empty());
        assert_eq!(chart.bars[0].width, WIDEST_BAR);
        assert_eq!(chart.ticks.last().map(|t| t.value), Some(1));
    }
}
