use pg_sections::section;

pub enum Shape { Circle { r: f64 }, Square(f64), Dot }

#[section("vendor")]
pub fn area(s: &Shape) -> f64 {
    let v = match s {
        Shape::Circle { r } if *r > 0.0 => r * r * 3.14,
        Shape::Circle { .. } => 0.0,
        Shape::Square(x) => x * x,
        Shape::Dot => 0.0,
    };
    let p: *const f64 = &v;
    let w = unsafe { *p };
    if let Some(ref q) = Some(w) { return *q; }
    let [a, b] = [1, 2];
    let (c, ..) = (a, b, 3);
    let _ = c;
    w
}

fn main() {}
