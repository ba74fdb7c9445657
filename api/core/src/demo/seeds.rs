//! The demo's raw material: a deterministic generator, the GB places list and names.

const PLACES: &str = include_str!("gb-places.csv");

/// A small deterministic generator (SplitMix64): the demo must be the same on every machine.
pub struct Rng(u64);

impl Rng {
    /// A generator that always yields the same sequence for `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn bits(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.bits() % n.max(1) as u64) as usize
    }

    /// One of `items` (which must not be empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.bits() % 100 < percent
    }

    /// A number in `0.0..1.0`.
    pub fn unit(&mut self) -> f64 {
        (self.bits() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A town or city in Great Britain (GeoNames).
#[derive(Clone, Debug)]
pub struct Place {
    /// Its name.
    pub name: String,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// People living there.
    pub population: u64,
}

/// Every GB place of the reference list (GeoNames, CC BY 4.0).
pub fn places() -> Vec<Place> {
    PLACES
        .lines()
        .skip(1)
        .filter_map(|line| {
            // geonameid,name,admin1,latitude,longitude,population; a name may be quoted with commas.
            let (_, rest) = line.split_once(',')?;
            let mut tail = rest.rsplitn(5, ',');
            let population = tail.next()?.trim().parse().ok()?;
            let lon = tail.next()?.parse().ok()?;
            let lat = tail.next()?.parse().ok()?;
            let _admin1 = tail.next()?;
            let name = tail.next()?.trim_matches('"').to_string();
            Some(Place {
                name,
                lat,
                lon,
                population,
            })
        })
        .collect()
}

/// First names the demo clients are given.
pub const FIRST_NAMES: &[&str] = &[
    "Aisha", "Amir", "Beth", "Callum", "Chloe", "Connor", "Daniel", "Deborah", "Ewan", "Fatima",
    "Gareth", "Grace", "Hannah", "Imran", "Jack", "Jade", "Jamal", "Joanne", "Kieran", "Laura",
    "Liam", "Mandeep", "Mark", "Megan", "Mohammed", "Natalie", "Nikhil", "Olivia", "Paul", "Priya",
    "Rachel", "Ryan", "Sadia", "Sam", "Sarah", "Sean", "Simone", "Tom", "Usman", "Zoe",
];
/// Surnames the demo clients are given.
pub const SURNAMES: &[&str] = &[
    "Ahmed",
    "Atkinson",
    "Begum",
    "Bell",
    "Brooke",
    "Chapman",
    "Dawson",
    "Ellis",
    "Fletcher",
    "Hall",
    "Hussain",
    "Iqbal",
    "Jackson",
    "Kaur",
    "Khan",
    "Lister",
    "Mahmood",
    "Marshall",
    "Mitchell",
    "Nowak",
    "O'Neill",
    "Patel",
    "Pearson",
    "Robinson",
    "Shaw",
    "Singh",
    "Smith",
    "Sutcliffe",
    "Taylor",
    "Walker",
    "Whitaker",
    "Wood",
    "Wright",
    "Yates",
];
