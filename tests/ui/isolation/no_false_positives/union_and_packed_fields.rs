// A union's field read in `unsafe`, and a packed struct's field copied out:
// the probes of fields take no reference to them.
use pg_sections::section;

#[repr(C)]
pub union Bits {
    pub i: u32,
    pub f: f32,
}

#[repr(C, packed)]
#[derive(Clone, Copy)]
pub struct Header {
    pub tag: u8,
    pub len: u32,
}

#[section("vendor")]
pub fn as_int(b: Bits) -> u32 {
    unsafe { b.i }
}

#[section("vendor")]
pub fn len(h: Header) -> u32 {
    let l = h.len;
    l
}

pub struct Wire {
    pub header: Header,
    pub bits: Bits,
}

#[section("vendor")]
impl Wire {
    pub fn total(&self) -> u32 {
        let len = self.header.len;
        len + unsafe { self.bits.i }
    }
}

fn main() {}
