#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| qalam_fuzz::book_toml(data));
