//! Where each numbered mark of a screen goes. The author writes the spot (`x`, `y` in percent);
//! the mark is drawn beside it, joined to it by a short leader, so it never hides the control
//! the step names. Marks are as small as the theme draws them on the narrowest screen
//! ([`MIN_WIDTH`] pixels of picture, [`MIN_MARK`] pixels a mark) and never larger in proportion
//! to the picture on a wider one, so a layout found at that width holds at every width: it is
//! found there.
//!
//! At that width, for each mark, in step order: candidate places on rings around its spots are
//! tried; one is taken only if the mark stays inside the picture, clear of every spot, of every
//! mark placed before and of their leaders; of those, the one covering the least of the
//! picture's drawing ([`Ink`]: its edges, i.e. text, borders and controls) with the shortest
//! leader wins. Several spots of one step close together share one mark: a line joins them and
//! one leader joins the mark to the nearest.

/// How wide a picture is on a 320 px wide screen (the page's side margins taken off).
pub const MIN_WIDTH: u32 = 288;
/// A mark's diameter there, in pixels (the theme draws `clamp(20px, 4cqw, 40px)`).
pub const MIN_MARK: f64 = 20.0;
/// How much room a spot keeps around it (pixels at [`MIN_WIDTH`]), so a mark beside it leaves
/// the control visible.
const SPOT_CLEAR: f64 = 6.0;
/// A place on the picture, in pixels at the layout's size.
type Point = (f64, f64);

/// More callouts on one picture are a problem (none could be followed); the layout takes no more,
/// so its time stays bounded.
pub const MAX_CALLOUTS: usize = 30;
/// Spots of one step nearer than this (in marks' diameters) share a mark.
const SHARE: f64 = 2.6;

/// The drawing of a picture at [`MIN_WIDTH`]: which pixels lie on an edge (text, borders,
/// controls), where a mark would hide something.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ink {
    width: u32,
    height: u32,
    edge: Vec<bool>,
}

impl Ink {
    /// The edges of `pixels` (any size; scaled to [`MIN_WIDTH`] wide first if wider).
    pub fn of(pixels: &image::RgbaImage) -> Ink {
        let (w, h) = pixels.dimensions();
        if w == 0 || h == 0 {
            return Ink::default();
        }
        let width = w.min(MIN_WIDTH);
        let height = ((u64::from(h) * u64::from(width) + u64::from(w) / 2) / u64::from(w)).max(1);
        let height = height as u32;
        let small =
            image::imageops::resize(pixels, width, height, image::imageops::FilterType::Triangle);
        let luma = |x: u32, y: u32| {
            let p = small.get_pixel(x, y).0;
            (u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000
        };
        let mut edge = vec![false; (width * height) as usize];
        for y in 0..height {
            for x in 0..width {
                let here = luma(x, y);
                let right = if x + 1 < width { luma(x + 1, y) } else { here };
                let below = if y + 1 < height { luma(x, y + 1) } else { here };
                edge[(y * width + x) as usize] =
                    here.abs_diff(right) > 10 || here.abs_diff(below) > 10;
            }
        }
        Ink { width, height, edge }
    }

    /// How many edge pixels lie in the disc at (`x`, `y`) of radius `r` (pixels at the layout's
    /// size `size`).
    fn under(&self, size: (f64, f64), x: f64, y: f64, r: f64) -> usize {
        if self.width == 0 {
            return 0;
        }
        let (sx, sy) = (f64::from(self.width) / size.0, f64::from(self.height) / size.1);
        let (cx, cy, rx) = (x * sx, y * sy, r * sx);
        let x0 = (cx - rx).floor().max(0.0) as u32;
        let y0 = (cy - rx).floor().max(0.0) as u32;
        let x1 = ((cx + rx).ceil() as u32).min(self.width);
        let y1 = ((cy + rx).ceil() as u32).min(self.height);
        let mut count = 0;
        for py in y0..y1 {
            for px in x0..x1 {
                let (dx, dy) = (f64::from(px) + 0.5 - cx, f64::from(py) + 0.5 - cy);
                if dx * dx + dy * dy <= rx * rx && self.edge[(py * self.width + px) as usize] {
                    count += 1;
                }
            }
        }
        count
    }
}

impl Ink {
    /// How many edge pixels the segment from `a` to `b` crosses (pixels at the layout's size
    /// `size`).
    fn along(&self, size: (f64, f64), a: (f64, f64), b: (f64, f64)) -> usize {
        if self.width == 0 {
            return 0;
        }
        let (sx, sy) = (f64::from(self.width) / size.0, f64::from(self.height) / size.1);
        let (a, b) = ((a.0 * sx, a.1 * sy), (b.0 * sx, b.1 * sy));
        let steps = distance(a, b).ceil().max(1.0) as u32;
        (0..=steps)
            .filter(|k| {
                let t = f64::from(*k) / f64::from(steps);
                let (x, y) = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
                let (x, y) = (x.floor(), y.floor());
                x >= 0.0
                    && y >= 0.0
                    && (x as u32) < self.width
                    && (y as u32) < self.height
                    && self.edge[(y as u32 * self.width + x as u32) as usize]
            })
            .count()
    }
}

/// One mark as drawn: its number, its centre, the spot its leader goes to and the spots it
/// stands for, joined in this order (percent of the picture).
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub n: u32,
    pub x: f64,
    pub y: f64,
    pub leader: (f64, f64),
    pub spots: Vec<(f64, f64)>,
}

/// A callout as written: its step number and spot (`x`, `y` in percent of the picture).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spot {
    pub n: u32,
    pub x: f64,
    pub y: f64,
}

/// Lays out the marks of `callouts` on a picture of `size` (its full size in pixels) drawn as
/// `ink`.
pub fn layout(callouts: &[Spot], size: (u32, u32), ink: &Ink) -> Vec<Mark> {
    let callouts = &callouts[..callouts.len().min(MAX_CALLOUTS)];
    let plane = Plane::new(size);
    let spots: Vec<(f64, f64)> =
        callouts.iter().map(|c| (c.x * plane.w / 100.0, c.y * plane.h / 100.0)).collect();
    let mut placed: Vec<Placed> = Vec::new();
    for group in groups(callouts, &spots, plane.d) {
        let (at, anchor) = best_place(&plane, ink, &group, &spots, &placed);
        placed.push(Placed { n: group.n, at, anchor, spots: group.spots });
    }
    let percent = |p: (f64, f64)| (round(p.0 * 100.0 / plane.w), round(p.1 * 100.0 / plane.h));
    placed
        .into_iter()
        .map(|p| {
            let (x, y) = percent(p.at);
            let spots = p.spots.into_iter().map(percent).collect();
            Mark { n: p.n, x, y, leader: percent(p.anchor), spots }
        })
        .collect()
}

/// The picture at [`MIN_WIDTH`] (or its own width, if narrower): its size and a mark's diameter,
/// in pixels.
struct Plane {
    w: f64,
    h: f64,
    d: f64,
}

impl Plane {
    fn new((width, height): (u32, u32)) -> Plane {
        let w = f64::from(width.clamp(1, MIN_WIDTH));
        let h = f64::from(height.max(1)) * w / f64::from(width.max(1));
        Plane { w, h, d: MIN_MARK.max(0.04 * w) }
    }
}

/// A step's spots that share one mark (pixels at the plane's size), the leader's spot first.
struct Group {
    n: u32,
    spots: Vec<(f64, f64)>,
}

/// What a new mark must keep clear of: the picture's edges, every spot, the marks placed so far.
#[derive(Clone, Copy)]
struct Scene<'a> {
    plane: &'a Plane,
    spots: &'a [Point],
    placed: &'a [Placed],
}

struct Placed {
    n: u32,
    at: (f64, f64),
    anchor: (f64, f64),
    spots: Vec<(f64, f64)>,
}

/// The spots of each step, those near each other together (each next spot the nearest to the
/// last), in step order and then in the order written.
fn groups(callouts: &[Spot], spots: &[(f64, f64)], d: f64) -> Vec<Group> {
    let mut left: Vec<usize> = (0..callouts.len()).collect();
    left.sort_by_key(|&i| callouts[i].n);
    let mut out = Vec::new();
    while let Some(first) = (!left.is_empty()).then(|| left.remove(0)) {
        let n = callouts[first].n;
        let mut chain = vec![first];
        loop {
            let last = spots[chain[chain.len() - 1]];
            let near = left
                .iter()
                .enumerate()
                .filter(|(_, i)| callouts[**i].n == n)
                .map(|(k, i)| (k, distance(last, spots[*i])))
                .filter(|(_, dist)| *dist <= SHARE * d)
                .min_by(|a, b| a.1.total_cmp(&b.1));
            let Some((k, _)) = near else { break };
            chain.push(left.remove(k));
        }
        out.push(Group { n, spots: chain.iter().map(|i| spots[*i]).collect() });
    }
    out
}

/// The best place for `group`'s mark and the spot its leader goes to; if no place keeps every
/// rule, the one breaking the fewest.
fn best_place(
    plane: &Plane,
    ink: &Ink,
    group: &Group,
    spots: &[(f64, f64)],
    placed: &[Placed],
) -> ((f64, f64), (f64, f64)) {
    let r = plane.d / 2.0;
    let mut best: Option<((usize, f64), Point, Point)> = None;
    for (anchor, at) in candidates(group, r) {
        let broken = broken_rules(&Scene { plane, spots, placed }, at, anchor, group);
        let size = (plane.w, plane.h);
        let covered = ink.under(size, at.0, at.1, r + 1.0) as f64;
        let crossed = ink.along(size, at, anchor) as f64;
        let score = (broken, 3.0 * covered + crossed + 1.5 * distance(at, anchor));
        if best.as_ref().is_none_or(|(s, _, _)| score < *s) {
            best = Some((score, at, anchor));
        }
    }
    best.map_or((group.spots[0], group.spots[0]), |(_, at, anchor)| (at, anchor))
}

/// Places around each of the group's spots, nearest first: rings one spot's room apart, 24
/// directions each (the spot each one's leader goes to, and the place).
fn candidates(group: &Group, r: f64) -> Vec<((f64, f64), (f64, f64))> {
    let rings = [0.0, 4.0, 10.0, 18.0, 28.0, 40.0, 56.0, 76.0];
    let mut out = Vec::new();
    for &spot in &group.spots {
        for ring in rings {
            let reach = r + SPOT_CLEAR + 1.0 + ring;
            for k in 0..24 {
                let angle = f64::from(k) * std::f64::consts::PI / 12.0;
                out.push((spot, (spot.0 + reach * angle.cos(), spot.1 - reach * angle.sin())));
            }
        }
    }
    out
}

/// How many rules a mark at `at` with its leader to `anchor` breaks: inside the picture, clear
/// of every spot, of each placed mark and its lines, and its lines clear of the placed marks.
fn broken_rules(scene: &Scene, at: Point, anchor: Point, group: &Group) -> usize {
    let Scene { plane, spots, placed } = *scene;
    let r = plane.d / 2.0;
    let mut broken = 0;
    if at.0 < r + 1.0 || at.0 > plane.w - r - 1.0 || at.1 < r + 1.0 || at.1 > plane.h - r - 1.0 {
        broken += 1;
    }
    broken += spots.iter().filter(|s| distance(at, **s) < r + SPOT_CLEAR).count();
    let lines = lines_of(at, anchor, &group.spots);
    // Not on the line joining its own spots either.
    if lines[1..].iter().any(|l| to_segment(at, *l) < r + 2.0) {
        broken += 1;
    }
    for p in placed {
        if distance(at, p.at) < plane.d + 3.0 {
            broken += 1;
        }
        let theirs = lines_of(p.at, p.anchor, &p.spots);
        if theirs.iter().any(|l| to_segment(at, *l) < r + 2.0) {
            broken += 1;
        }
        if lines.iter().any(|l| to_segment(p.at, *l) < r + 2.0) {
            broken += 1;
        }
    }
    broken
}

/// The leader from a mark at `at` to `anchor`, and the lines joining `spots` in order.
fn lines_of(at: (f64, f64), anchor: (f64, f64), spots: &[(f64, f64)]) -> Vec<[(f64, f64); 2]> {
    let mut lines = vec![[at, anchor]];
    lines.extend(spots.windows(2).map(|w| [w[0], w[1]]));
    lines
}

fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).hypot(a.1 - b.1)
}

/// The distance from `p` to the segment `line`.
fn to_segment(p: (f64, f64), [a, b]: [(f64, f64); 2]) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    distance(p, (a.0 + t * dx, a.1 + t * dy))
}

/// To a tenth of a percent (at most 2 px of a full-size picture).
fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spot(n: u32, x: f64, y: f64) -> Spot {
        Spot { n, x, y }
    }

    /// Marks and spots in pixels at the narrowest width, for checking the rules.
    fn check(marks: &[Mark], size: (u32, u32)) {
        let plane = Plane::new(size);
        let px = |p: (f64, f64)| (p.0 * plane.w / 100.0, p.1 * plane.h / 100.0);
        let r = plane.d / 2.0;
        let spots: Vec<(f64, f64)> =
            marks.iter().flat_map(|m| m.spots.iter().copied().map(px)).collect();
        for (i, m) in marks.iter().enumerate() {
            let at = px((m.x, m.y));
            assert!(
                at.0 >= r && at.0 <= plane.w - r && at.1 >= r && at.1 <= plane.h - r,
                "{m:?} leaves the picture"
            );
            for s in &spots {
                assert!(distance(at, *s) >= r + SPOT_CLEAR, "{m:?} covers the spot {s:?}");
            }
            for o in &marks[i + 1..] {
                assert!(distance(at, px((o.x, o.y))) >= plane.d, "{m:?} overlaps {o:?}");
            }
            assert!(m.spots.contains(&m.leader), "{m:?}: its leader goes to none of its spots");
        }
    }

    #[test]
    fn marks_sit_beside_their_spots_clear_of_each_other() {
        // Ten steps crowded in one row and one column of a wide, short picture.
        let mut callouts: Vec<Spot> =
            (1..=6).map(|n| spot(n, 10.0 + 14.0 * f64::from(n), 50.0)).collect();
        callouts.extend((7..=10).map(|n| spot(n, 50.0, 10.0 + 8.0 * f64::from(n - 6))));
        let marks = layout(&callouts, (1200, 500), &Ink::default());
        assert_eq!(marks.len(), 10);
        check(&marks, (1200, 500));
    }

    #[test]
    fn near_spots_of_one_step_share_a_mark_and_far_ones_do_not() {
        let callouts =
            [spot(2, 20.0, 40.0), spot(2, 20.0, 48.0), spot(2, 20.0, 56.0), spot(2, 90.0, 90.0)];
        let marks = layout(&callouts, (1200, 800), &Ink::default());
        assert_eq!(marks.len(), 2, "{marks:?}");
        assert_eq!(marks[0].spots, vec![(20.0, 40.0), (20.0, 48.0), (20.0, 56.0)]);
        assert_eq!(marks[1].spots, vec![(90.0, 90.0)]);
        check(&marks, (1200, 800));
    }

    #[test]
    fn marks_keep_off_the_drawing() {
        // A picture drawn everywhere but its right half: the mark goes right of its spot.
        let mut pixels = image::RgbaImage::from_pixel(1200, 600, image::Rgba([255, 255, 255, 255]));
        for y in (0..600).step_by(6) {
            for x in 0..600 {
                pixels.put_pixel(x, y, image::Rgba([0, 0, 0, 255]));
            }
        }
        let ink = Ink::of(&pixels);
        let marks = layout(&[spot(1, 48.0, 50.0)], (1200, 600), &ink);
        assert!(marks[0].x > 50.0, "{marks:?}");
        check(&marks, (1200, 600));
    }

    #[test]
    fn the_same_layout_every_time_and_for_a_tiny_picture_too() {
        let callouts = [spot(1, 50.0, 50.0), spot(2, 52.0, 50.0)];
        assert_eq!(
            layout(&callouts, (800, 400), &Ink::default()),
            layout(&callouts, (800, 400), &Ink::default())
        );
        // Too small for the marks to keep every rule: they are still placed, inside it.
        let tiny = layout(&callouts, (30, 20), &Ink::default());
        assert_eq!(tiny.len(), 2);
        assert!(tiny.iter().all(|m| m.x.is_finite() && m.y.is_finite()));
    }
}
