//! tebiki (手引き, "a guide"): turns Markdown slide files into an accessible, printable,
//! multilingual HTML guide that works from a web server, a USB stick (`file://`) and paper.
//!
//! [`pipeline`] runs the stages one way, each in its own module (see ARCHITECTURE.md):
//! load ([`config`], [`content`], [`theme`], [`checker`], [`a11y`]) → resolve ([`site`]) →
//! render ([`bodies`] with [`markdown`], [`screens`], [`images`], [`components`]; [`search`];
//! [`pages`]) → post-process ([`postprocess`], [`offline`]) → write ([`output`]).
//! What `serve` remembers between builds is the [`memo`], asked for by the pipeline alone.

pub mod a11y;
pub mod assets;
pub mod bodies;
pub mod callouts;
pub mod checker;
pub mod components;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod edition;
pub mod fingerprint;
pub mod handout;
pub mod highlight;
pub mod images;
pub mod markdown;
pub mod measure;
pub mod memo;
pub mod offline;
pub mod output;
pub mod pages;
pub mod pdf;
pub mod picture_cache;
pub mod pipeline;
pub mod postprocess;
pub mod project;
pub mod raw_html;
pub mod screens;
pub mod search;
pub mod serve;
pub mod site;
pub mod source;
pub mod starter;
pub mod text;
pub mod theme;
pub mod toml_path;
pub mod translations;

pub use pipeline::{Builder, Site, Summary, build, generate};
