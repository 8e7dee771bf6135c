//! Renderers of the log book. (Being written.)
