//! Finding dates, date ranges and reporting periods in English prose ("20th March 2019",
//! "30 and 31 January 2018", "1 April 2018 to 31 March 2019", "2018/19").

use crate::model::DateRange;

/// A calendar date; `day` is `None` where the text names only a month ("January 2015").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: Option<u32>,
}

impl Date {
    /// `2019-03-20`; a month-only date becomes its last day, the earliest day by which an event
    /// "in March 2019" is certainly past.
    pub fn iso(self) -> String {
        let day = self
            .day
            .unwrap_or_else(|| days_in_month(self.year, self.month));
        format!("{:04}-{:02}-{:02}", self.year, self.month, day)
    }

    /// `2021-08` for a month-only date, `2021-08-31` otherwise: no more precise than the text.
    pub fn iso_as_stated(self) -> String {
        match self.day {
            Some(_) => self.iso(),
            None => format!("{:04}-{:02}", self.year, self.month),
        }
    }

    /// "20 January 2015" or "January 2015", for sentences read by people.
    pub fn human(self) -> String {
        let month = MONTHS[(self.month - 1) as usize];
        match self.day {
            Some(d) => format!("{d} {month} {}", self.year),
            None => format!("{month} {}", self.year),
        }
    }
}

/// A date found in a text, with its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub date: Date,
}

use crate::model::MONTHS;

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A word or a dash, with its byte span; everything else (commas, full stops) separates tokens.
#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(Token {
                text: &text[s..i],
                start: s,
                end: i,
            });
        }
        if matches!(c, '-' | '–' | '—') {
            out.push(Token {
                text: &text[i..i + c.len_utf8()],
                start: i,
                end: i + c.len_utf8(),
            });
        }
    }
    if let Some(s) = start {
        out.push(Token {
            text: &text[s..],
            start: s,
            end: text.len(),
        });
    }
    out
}

/// "20", "20th", "1st", "22nd", "3rd": a day of the month.
fn day_of(word: &str) -> Option<u32> {
    let digits_end = word
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(word.len());
    let (digits, suffix) = word.split_at(digits_end);
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

/// Month names as written in reports: capitalised, full or abbreviated ("Sept", "Nov").
fn month_of(word: &str) -> Option<u32> {
    if word.len() < 3 || !word.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    MONTHS
        .iter()
        .map(|m| m.to_ascii_lowercase())
        .position(|m| m == lower || (lower.len() <= 4 && m.starts_with(&lower)))
        .map(|i| i as u32 + 1)
}

fn year_of(word: &str) -> Option<i32> {
    if word.len() != 4 || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    word.parse().ok().filter(|y| (1900..=2100).contains(y))
}

/// Words that join the two ends of a range.
fn is_range_joiner(word: &str) -> bool {
    matches!(word, "and" | "to" | "until" | "-" | "–" | "—")
}

/// Every date in the text: day-month-year and month-year, in order.
pub fn mentions(text: &str) -> Vec<Mention> {
    let toks = tokens(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if let Some((date, used)) = date_at(&toks, i) {
            out.push(Mention {
                start: toks[i].start,
                end: toks[i + used - 1].end,
                date,
            });
            i += used;
        } else {
            i += 1;
        }
    }
    out
}

/// A date starting at token `i`, and how many tokens it used.
fn date_at(toks: &[Token], i: usize) -> Option<(Date, usize)> {
    let word = |k: usize| toks.get(i + k).map(|t| t.text);
    if let (Some(day), Some(month), Some(year)) = (
        word(0).and_then(day_of),
        word(1).and_then(month_of),
        word(2).and_then(year_of),
    ) {
        return valid(year, month, Some(day)).map(|d| (d, 3));
    }
    let month = word(0).and_then(month_of)?;
    let year = word(1).and_then(year_of)?;
    Some((
        Date {
            year,
            month,
            day: None,
        },
        2,
    ))
}

fn valid(year: i32, month: u32, day: Option<u32>) -> Option<Date> {
    let ok = day.is_none_or(|d| d <= days_in_month(year, month));
    ok.then_some(Date { year, month, day })
}

/// The first date in a string, if it is the whole string apart from a label ("Date:") and
/// punctuation: a letter's date line.
pub fn whole_line_date(line: &str) -> Option<Date> {
    let toks = tokens(line);
    let (date, used) = date_at(&toks, 0)?;
    (used == toks.len() && date.day.is_some()).then_some(date)
}

/// A range of days found in a text, with the byte span it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeMention {
    pub start: usize,
    pub end: usize,
    pub range: DateRange,
}

/// Every range of days: "30 and 31 January 2018", "20th and 21st July 2021",
/// "29 January to 2 February 2018", "1 April 2018 to 31 March 2019".
pub fn ranges(text: &str) -> Vec<RangeMention> {
    let toks = tokens(text);
    (0..toks.len()).filter_map(|i| range_at(&toks, i)).collect()
}

fn range_at(toks: &[Token], i: usize) -> Option<RangeMention> {
    let word = |k: usize| toks.get(i + k).map(|t| t.text).unwrap_or("");
    let first_day = day_of(word(0))?;
    // "1 April 2018 to 31 March 2019"
    if let Some((start, 3)) = date_at(toks, i)
        && is_range_joiner(word(3))
        && let Some((end, 3)) = date_at(toks, i + 4)
    {
        return make_range(toks, i, i + 6, start, end);
    }
    // "29 January to 2 February 2018": the start's year is the end's, or the one before
    if let Some(first_month) = month_of(word(1))
        && is_range_joiner(word(2))
        && let Some((end, 3)) = date_at(toks, i + 3)
    {
        let year = if first_month > end.month {
            end.year - 1
        } else {
            end.year
        };
        let start = valid(year, first_month, Some(first_day))?;
        return make_range(toks, i, i + 5, start, end);
    }
    // "30 and 31 January 2018"
    if is_range_joiner(word(1))
        && let Some((end, 3)) = date_at(toks, i + 2)
    {
        let start = valid(end.year, end.month, Some(first_day))?;
        return make_range(toks, i, i + 4, start, end);
    }
    None
}

fn make_range(
    toks: &[Token],
    first: usize,
    last: usize,
    start: Date,
    end: Date,
) -> Option<RangeMention> {
    (start < end).then(|| RangeMention {
        start: toks[first].start,
        end: toks[last].end,
        range: DateRange {
            start: start.iso(),
            end: end.iso(),
        },
    })
}

/// A reporting year written "2018/19", "2018-19", "2018–2019" or "2018/2019", as "2018/19".
pub fn periods(text: &str) -> Vec<(usize, String)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for (i, c) in text.char_indices() {
        if !matches!(c, '/' | '-' | '–') || i < 4 {
            continue;
        }
        let Some(first) = text.get(i - 4..i).and_then(year_of) else {
            continue;
        };
        if i > 4 && bytes[i - 5].is_ascii_digit() {
            continue;
        }
        let rest = &text[i + c.len_utf8()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let second = match digits.len() {
            2 => digits.parse::<i32>().ok().map(|n| first / 100 * 100 + n),
            4 => digits.parse::<i32>().ok(),
            _ => None,
        };
        if second == Some(first + 1) {
            out.push((i - 4, format!("{first}/{:02}", (first + 1) % 100)));
        }
    }
    out
}

/// The last day of a "2018/19" reporting year: 31 March 2019, the end of the local government
/// financial year that such periods name.
pub fn period_end(period: &str) -> Option<Date> {
    let first: i32 = period.get(..4)?.parse().ok()?;
    Some(Date {
        year: first + 1,
        month: 3,
        day: Some(31),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str) -> Vec<String> {
        mentions(text)
            .into_iter()
            .map(|m| m.date.iso_as_stated())
            .collect()
    }

    #[test]
    fn full_dates_with_and_without_ordinals() {
        assert_eq!(dates("Date: 20th March 2019"), ["2019-03-20"]);
        assert_eq!(dates("22 February 2018"), ["2018-02-22"]);
        assert_eq!(
            dates("on the 1st May 2020 and 2nd June 2020"),
            ["2020-05-01", "2020-06-02"]
        );
        assert_eq!(dates("3rd Sept 2019"), ["2019-09-03"]);
    }

    #[test]
    fn month_and_year_alone() {
        assert_eq!(dates("Between April and December 2014, many"), ["2014-12"]);
        assert_eq!(dates("In January 2015 the review"), ["2015-01"]);
    }

    #[test]
    fn impossible_days_and_lowercase_months_are_not_dates() {
        assert_eq!(dates("31 February 2018"), ["2018-02"]);
        assert!(dates("we may 2019").is_empty());
        assert!(dates("page 12 of 30").is_empty());
    }

    #[test]
    fn month_only_dates_end_on_the_months_last_day() {
        let d = Date {
            year: 2016,
            month: 2,
            day: None,
        };
        assert_eq!(d.iso(), "2016-02-29");
        assert_eq!(d.human(), "February 2016");
    }

    #[test]
    fn whole_line_dates() {
        assert_eq!(
            whole_line_date("31 August 2021 ").map(Date::iso),
            Some("2021-08-31".to_string())
        );
        assert_eq!(
            whole_line_date("Date: 20th March 2019").map(Date::iso),
            None,
            "a label is not part of a bare date line"
        );
        assert_eq!(whole_line_date("Published 31 August 2021"), None);
    }

    fn range(text: &str) -> Option<(String, String)> {
        ranges(text)
            .into_iter()
            .next()
            .map(|r| (r.range.start, r.range.end))
    }

    #[test]
    fn ranges_within_a_month() {
        let want = Some(("2018-01-30".to_string(), "2018-01-31".to_string()));
        assert_eq!(range("visit on 30 and 31 January 2018."), want);
        let want = Some(("2021-07-20".to_string(), "2021-07-21".to_string()));
        assert_eq!(range("conducted on the 20th and 21st July 2021"), want);
        assert_eq!(range("20 – 21 July 2021"), want);
    }

    #[test]
    fn ranges_across_months_and_years() {
        assert_eq!(
            range("from 29 January to 2 February 2018"),
            Some(("2018-01-29".to_string(), "2018-02-02".to_string()))
        );
        assert_eq!(
            range("15 December to 9 January 2015"),
            Some(("2014-12-15".to_string(), "2015-01-09".to_string()))
        );
        assert_eq!(
            range("1 April 2018 to 31 March 2019"),
            Some(("2018-04-01".to_string(), "2019-03-31".to_string()))
        );
    }

    #[test]
    fn two_unrelated_dates_are_not_a_range() {
        assert_eq!(range("20 and 19 July 2021"), None);
        assert_eq!(range("On 3 March 2019 we met."), None);
    }

    #[test]
    fn reporting_periods() {
        let p: Vec<String> = periods("Annual Report 2018/19, 2017-18, 2016–2017, 2012–13; 2010/12")
            .into_iter()
            .map(|(_, p)| p)
            .collect();
        assert_eq!(p, ["2018/19", "2017/18", "2016/17", "2012/13"]);
        assert_eq!(
            period_end("2018/19").map(Date::iso),
            Some("2019-03-31".to_string())
        );
    }
}
