//! Picture processing with the `image` crate: decode and validate, burn in redactions, publish
//! responsive sizes as lossless WebP (metadata is never copied), with a content hash in each name.
//! Work runs in parallel, and an on-disk cache keyed by the picture's bytes and every setting means
//! an unchanged picture is never processed twice.

use std::fs;
use std::io::{Cursor, IsTerminal};
use std::path::{Component, Path, PathBuf};

use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::{ExtendedColorType, ImageReader, Limits, Rgba, RgbaImage};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::callouts::Ink;
use crate::fingerprint::{Fingerprint, fingerprint};
use crate::picture_cache::{Cache, Lookup};
use crate::screens::{Picture, Rect, Variant};
use crate::source;

pub const IMAGES_DIR: &str = "images";
/// Published widths below the full size (the full size is always published too).
pub const WIDTHS: &[u32] = &[640, 1280];
/// Larger pictures are refused (a screenshot is never this big; a decompression bomb is).
pub const MAX_SIDE: u32 = 8_000;
pub const MAX_PIXELS: u64 = 40_000_000;
/// Larger picture files are not read at all.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Bump when the processing changes, so cached results are not reused. 2: redactions are blacked
/// out again in each resized copy (so every copy's areas are provably black).
const RECIPE: &str = "tebiki-images-2:webp-lossless:lanczos3";

/// One picture to publish: a file under `images/` with the redactions to burn in.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub image: String,
    pub redact: Vec<Rect>,
}

impl Job {
    /// Adds what the job is (its picture's name and its redactions) to a key of remembered work.
    pub fn add_to(&self, key: &mut Fingerprint) {
        key.str(&self.image).u64(self.redact.len() as u64);
        for r in &self.redact {
            key.f64(r.x).f64(r.y).f64(r.w).f64(r.h);
        }
    }

    /// A text that identifies the job's settings (not its bytes), part of the key of its cached
    /// result and of its published files' names (changing it renames every published picture):
    /// the recipe, the widths, then each redaction as `x,y,w,h` (shortest exact decimals).
    fn settings(&self) -> String {
        let rects: Vec<String> =
            self.redact.iter().map(|r| format!("{},{},{},{}", r.x, r.y, r.w, r.h)).collect();
        let widths: Vec<String> = WIDTHS.iter().map(u32::to_string).collect();
        format!("{RECIPE}|[{}]|{}", widths.join(", "), rects.join(";"))
    }
}

/// A processed job: the picture and the files to publish.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub picture: Picture,
    pub files: Vec<(PathBuf, Vec<u8>)>,
}

/// How much work a run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub processed: usize,
    pub cached: usize,
    /// Cached copies that failed their checks, removed and made again.
    pub discarded: usize,
}

/// Whether results are published (`Build`) or only validated (`Check`, which writes nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Build,
    Check,
}

/// Checks that `image` names a file inside `root/images/`; returns its path.
pub fn locate(root: &Path, image: &str) -> Result<PathBuf, (String, String)> {
    let rel = Path::new(image);
    let escapes = rel.is_absolute() || rel.components().any(|c| !matches!(c, Component::Normal(_)));
    if image.trim().is_empty() || escapes || image.contains('\\') {
        return Err((
            format!("the picture `{image}` is not inside images/"),
            "name a file in the images/ folder, like image = \"login.png\" (no `..`, no absolute path)".into(),
        ));
    }
    let dir = root.join(IMAGES_DIR);
    let path = dir.join(rel);
    if fs::symlink_metadata(&path).is_err() {
        return Err((
            format!("the picture images/{image} does not exist"),
            "check the file name (and its upper/lower case), or put the picture in images/".into(),
        ));
    }
    if !path.is_file() {
        return Err((
            format!("images/{image} is not a picture file (it is a folder, a pipe or a device)"),
            "name a PNG, JPEG or WebP file in images/".into(),
        ));
    }
    match (fs::canonicalize(&path), fs::canonicalize(&dir)) {
        (Ok(p), Ok(d)) if p.starts_with(&d) => Ok(path),
        _ => Err((
            format!("the picture images/{image} leads outside images/ (a link)"),
            "copy the picture itself into images/".into(),
        )),
    }
}

/// Processes `jobs` (in parallel, using the cache in `cache_dir`); one result per job, in order.
pub fn process(
    root: &Path,
    cache_dir: &Path,
    jobs: &[Job],
    mode: Mode,
) -> (Vec<Result<Outcome, String>>, Stats) {
    // A check makes no files, so it has no use for cached ones (checking them costs more than
    // reading the pictures).
    let cache = if mode == Mode::Build { Cache::open(root, cache_dir) } else { Cache::none() };
    // First the cheap part: read each picture and look it up in the cache.
    let prepared: Vec<Result<Prepared, String>> =
        jobs.par_iter().map(|job| prepare(root, &cache, job)).collect();
    let missed = |p: &Result<Prepared, String>| p.as_ref().is_ok_and(|p| p.cached.is_none());
    let misses = prepared.iter().filter(|p| missed(p)).count();
    let discarded = prepared.iter().filter(|p| p.as_ref().is_ok_and(|p| p.discarded)).count();
    let bar = progress_bar(misses as u64);
    let results: Vec<Result<Outcome, String>> = prepared
        .into_par_iter()
        .zip(jobs.par_iter())
        .map(|(prepared, job)| {
            let Prepared { bytes, fingerprint, cached, .. } = prepared?;
            if let Some(outcome) = cached {
                return Ok(with_ink(outcome));
            }
            let outcome = render(job, &bytes, &fingerprint, mode);
            bar.inc(1);
            let outcome = outcome?;
            if mode == Mode::Build {
                cache.store(&fingerprint, &outcome.picture, &outcome.files);
            }
            Ok(with_ink(outcome))
        })
        .collect();
    bar.finish_and_clear();
    (results, Stats { processed: misses, cached: jobs.len() - misses, discarded })
}

/// A job's picture read, and looked up in the cache.
fn prepare(root: &Path, cache: &Cache, job: &Job) -> Result<Prepared, String> {
    let rel = Path::new(IMAGES_DIR).join(&job.image);
    let bytes = source::read_bytes(root, &rel, MAX_FILE_BYTES)
        .map_err(|d| format!("images/{}: {}", job.image, d.message))?;
    let fingerprint = format!("{:016x}", fingerprint(&[&bytes, job.settings().as_bytes()]));
    // The sizes the picture calls for come from the picture itself, never from the cache.
    let expected = probe(job, &bytes).ok().map(|(w, h)| plan(job, &fingerprint, w, h));
    let lookup =
        expected.as_ref().map_or(Lookup::Miss, |p| cache.load(&fingerprint, p, &job.redact));
    let (cached, discarded) = match (lookup, expected) {
        (Lookup::Hit(files), Some(picture)) => (Some(Outcome { picture, files }), false),
        (Lookup::Bad, _) => (None, true),
        _ => (None, false),
    };
    Ok(Prepared { bytes, fingerprint, cached, discarded })
}

/// A job's picture read, with its fingerprint and its cached result (if any).
struct Prepared {
    bytes: Vec<u8>,
    fingerprint: String,
    cached: Option<Outcome>,
    /// Whether a cached copy failed its checks (it was removed).
    discarded: bool,
}

fn progress_bar(len: u64) -> ProgressBar {
    let quiet = len == 0 || !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some();
    let target = if quiet { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() };
    let bar = ProgressBar::with_draw_target(Some(len), target);
    if let Ok(style) = ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {wide_msg}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix("images");
    bar
}

/// The picture's size, read from its header, if it is a picture tebiki takes.
fn probe(job: &Job, bytes: &[u8]) -> Result<(u32, u32), String> {
    let probe = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot read images/{}: {e}", job.image))?;
    if probe.format().is_none() {
        return Err(format!("images/{} is not a picture (PNG, JPEG or WebP expected)", job.image));
    }
    let (width, height) = probe
        .into_dimensions()
        .map_err(|e| format!("images/{} cannot be read as a picture: {e}", job.image))?;
    if width == 0
        || height == 0
        || width > MAX_SIDE
        || height > MAX_SIDE
        || u64::from(width) * u64::from(height) > MAX_PIXELS
    {
        return Err(format!(
            "images/{} is {width}×{height} pixels, larger than tebiki accepts (at most \
             {MAX_SIDE} pixels a side and {} megapixels)",
            job.image,
            MAX_PIXELS / 1_000_000
        ));
    }
    Ok((width, height))
}

/// The sizes a picture of `width`×`height` is published at, and their names.
fn plan(job: &Job, fingerprint: &str, width: u32, height: u32) -> Picture {
    let stem = Path::new(&job.image)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let stem: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect();
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < width).collect();
    widths.push(width);
    let variants: Vec<Variant> = widths
        .iter()
        .map(|w| Variant {
            width: *w,
            path: format!("{IMAGES_DIR}/{stem}.{}.{w}.webp", &fingerprint[..8]),
        })
        .collect();
    Picture { width, height, variants, ink: Ink::default() }
}

/// Decodes, validates, redacts and encodes one picture.
fn render(job: &Job, bytes: &[u8], fingerprint: &str, mode: Mode) -> Result<Outcome, String> {
    let (width, height) = probe(job, bytes)?;
    let picture = plan(job, fingerprint, width, height);
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot read images/{}: {e}", job.image))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    let decoded = reader
        .decode()
        .map_err(|e| format!("images/{} is damaged or not a picture: {e}", job.image))?;
    if mode == Mode::Check {
        return Ok(Outcome { picture, files: Vec::new() });
    }
    let mut pixels = decoded.to_rgba8();
    redact(&mut pixels, &job.redact);
    let mut files = Vec::new();
    for variant in &picture.variants {
        let mut scaled = if variant.width == width {
            pixels.clone()
        } else {
            let h = picture.height_at(variant.width);
            image::imageops::resize(&pixels, variant.width, h, FilterType::Lanczos3)
        };
        // Resizing blends the black areas with their edges: black them out again at this size.
        redact(&mut scaled, &job.redact);
        let webp =
            encode_webp(&scaled).map_err(|e| format!("cannot encode images/{}: {e}", job.image))?;
        files.push((PathBuf::from(&variant.path), webp));
    }
    Ok(Outcome { picture, files })
}

/// A picture with its drawing, read from its smallest published size (so a cached picture, of
/// which only the files are kept, gets the same as a new one).
fn with_ink(mut outcome: Outcome) -> Outcome {
    let smallest = outcome.files.first().map(|(_, bytes)| bytes.as_slice()).unwrap_or_default();
    let decoded =
        ImageReader::with_format(Cursor::new(smallest), image::ImageFormat::WebP).decode();
    if let Ok(pixels) = decoded {
        outcome.picture.ink = Ink::of(&pixels.to_rgba8());
    }
    outcome
}

/// Blacks out each rectangle (burned into the pixels, before any resizing).
pub fn redact(pixels: &mut RgbaImage, rects: &[Rect]) {
    let (w, h) = pixels.dimensions();
    for r in rects {
        let (x0, y0, x1, y1) = r.pixels(w, h);
        for y in y0..y1 {
            for x in x0..x1 {
                pixels.put_pixel(x, y, Rgba([0, 0, 0, 255]));
            }
        }
    }
}

fn encode_webp(pixels: &RgbaImage) -> Result<Vec<u8>, image::ImageError> {
    let mut out = Vec::new();
    WebPEncoder::new_lossless(&mut out).encode(
        pixels.as_raw(),
        pixels.width(),
        pixels.height(),
        ExtendedColorType::Rgba8,
    )?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = RgbaImage::from_pixel(width, height, Rgba([250, 250, 250, 255]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
        out
    }

    #[test]
    fn publishes_sizes_and_uses_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("images")).unwrap();
        fs::write(dir.path().join("images/a.png"), png(1500, 900)).unwrap();
        let cache = dir.path().join("cache");
        let jobs = vec![Job { image: "a.png".into(), redact: vec![] }];
        let (first, stats) = process(dir.path(), &cache, &jobs, Mode::Build);
        assert_eq!(stats, Stats { processed: 1, cached: 0, discarded: 0 });
        let first = first[0].as_ref().unwrap();
        let widths: Vec<u32> = first.picture.variants.iter().map(|v| v.width).collect();
        assert_eq!(widths, vec![640, 1280, 1500]);
        assert!(first.files.iter().all(|(_, b)| b.starts_with(b"RIFF")));
        let (second, stats) = process(dir.path(), &cache, &jobs, Mode::Build);
        assert_eq!(stats, Stats { processed: 0, cached: 1, discarded: 0 });
        assert_eq!(second[0].as_ref().unwrap().files, first.files);
    }

    #[test]
    fn refuses_non_pictures_and_bombs() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("images")).unwrap();
        fs::write(dir.path().join("images/text.png"), b"hello, not a picture").unwrap();
        fs::write(dir.path().join("images/huge.png"), png(9000, 10)).unwrap();
        let jobs = vec![
            Job { image: "text.png".into(), redact: vec![] },
            Job { image: "huge.png".into(), redact: vec![] },
        ];
        let (results, _) = process(dir.path(), &dir.path().join("cache"), &jobs, Mode::Check);
        assert!(results[0].as_ref().unwrap_err().contains("not a picture"));
        assert!(results[1].as_ref().unwrap_err().contains("9000×10"));
    }

    #[test]
    fn locate_refuses_escapes() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("images")).unwrap();
        fs::write(dir.path().join("secret.png"), png(2, 2)).unwrap();
        assert!(locate(dir.path(), "../secret.png").unwrap_err().0.contains("not inside images/"));
        assert!(locate(dir.path(), "/etc/passwd").is_err());
        assert!(locate(dir.path(), "missing.png").unwrap_err().0.contains("does not exist"));
    }
}
