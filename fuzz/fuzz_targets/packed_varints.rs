//! The SWAR packed-varint counter agrees with a plain byte-by-byte count.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn naive(payload: &[u8]) -> Option<usize> {
    let (mut count, mut run) = (0usize, 0usize);
    for &b in payload {
        run += 1;
        if b < 0x80 {
            if run > 10 || (run == 10 && b > 1) {
                return None;
            }
            count += 1;
            run = 0;
        }
    }
    (run == 0).then_some(count)
}

fuzz_target!(|data: &[u8]| {
    assert_eq!(
        protogen::view::wire::count_packed_varints(data, 0).ok(),
        naive(data)
    );
});
