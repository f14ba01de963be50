//! Colours as operators write them (`#rgb`, `#rrggbb`), and the WCAG contrast between two of them.

use std::fmt;

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Colour {
    /// Red, 0–255.
    pub r: u8,
    /// Green, 0–255.
    pub g: u8,
    /// Blue, 0–255.
    pub b: u8,
}

impl Colour {
    /// Parses `#rgb` or `#rrggbb` (case-insensitive, surrounding spaces allowed).
    ///
    /// ```
    /// use domain::config::colour::Colour;
    /// assert_eq!(Colour::parse("#0b57d0"), Colour::parse("#0B57D0"));
    /// assert_eq!(Colour::parse("#fff").map(|c| c.to_string()), Some("#ffffff".into()));
    /// assert_eq!(Colour::parse("red"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Colour> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(&hex[i..i + 1], 16).ok();
        let pair = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        match hex.len() {
            3 => Some(Colour { r: digit(0)? * 17, g: digit(1)? * 17, b: digit(2)? * 17 }),
            6 => Some(Colour { r: pair(0)?, g: pair(2)?, b: pair(4)? }),
            _ => None,
        }
    }

    /// `percent` of this colour mixed with the rest of `other`, channel by channel in sRGB, as CSS
    /// `color-mix(in srgb, this percent%, other)` does.
    ///
    /// ```
    /// use domain::config::colour::Colour;
    /// let (black, white) = (Colour::parse("#000").unwrap(), Colour::parse("#fff").unwrap());
    /// assert_eq!(black.mix(white, 50).to_string(), "#808080");
    /// ```
    pub fn mix(self, other: Colour, percent: u16) -> Colour {
        let percent = percent.min(100);
        let channel = |a: u8, b: u8| ((u16::from(a) * percent + u16::from(b) * (100 - percent) + 50) / 100) as u8;
        Colour { r: channel(self.r, other.r), g: channel(self.g, other.g), b: channel(self.b, other.b) }
    }

    /// WCAG 2 relative luminance.
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| SRGB_TO_LINEAR[usize::from(c)];
        0.2126 * channel(self.r) + 0.7152 * channel(self.g) + 0.0722 * channel(self.b)
    }

    /// WCAG 2 contrast ratio, 1 to 21.
    ///
    /// ```
    /// use domain::config::colour::Colour;
    /// let black = Colour::parse("#000").unwrap();
    /// let white = Colour::parse("#fff").unwrap();
    /// assert_eq!(black.contrast(white).round(), 21.0);
    /// ```
    pub fn contrast(self, other: Colour) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

/// sRGB channel value → linear light, per WCAG 2: `c/12.92` up to 0.04045, else
/// `((c+0.055)/1.055)^2.4`. A table rather than `powf`, which would ship a `pow` implementation to
/// the browser for 256 possible inputs (the test below checks every entry against the formula).
const SRGB_TO_LINEAR: [f64; 256] = [
    0.0000000, 0.0003035, 0.0006071, 0.0009106, 0.0012141, 0.0015176, 0.0018212, 0.0021247, 0.0024282, 0.0027317,
    0.0030353, 0.0033465, 0.0036765, 0.0040247, 0.0043914, 0.0047770, 0.0051815, 0.0056054, 0.0060488, 0.0065121,
    0.0069954, 0.0074990, 0.0080232, 0.0085681, 0.0091341, 0.0097212, 0.0103298, 0.0109601, 0.0116122, 0.0122865,
    0.0129830, 0.0137021, 0.0144438, 0.0152085, 0.0159963, 0.0168074, 0.0176420, 0.0185002, 0.0193824, 0.0202886,
    0.0212190, 0.0221739, 0.0231534, 0.0241576, 0.0251869, 0.0262412, 0.0273209, 0.0284260, 0.0295568, 0.0307134,
    0.0318960, 0.0331048, 0.0343398, 0.0356013, 0.0368895, 0.0382044, 0.0395462, 0.0409152, 0.0423114, 0.0437350,
    0.0451862, 0.0466651, 0.0481718, 0.0497066, 0.0512695, 0.0528606, 0.0544803, 0.0561285, 0.0578054, 0.0595112,
    0.0612461, 0.0630100, 0.0648033, 0.0666259, 0.0684782, 0.0703601, 0.0722719, 0.0742136, 0.0761854, 0.0781874,
    0.0802198, 0.0822827, 0.0843762, 0.0865005, 0.0886556, 0.0908417, 0.0930590, 0.0953075, 0.0975873, 0.0998987,
    0.1022417, 0.1046165, 0.1070231, 0.1094617, 0.1119324, 0.1144354, 0.1169707, 0.1195384, 0.1221388, 0.1247718,
    0.1274377, 0.1301365, 0.1328683, 0.1356333, 0.1384316, 0.1412633, 0.1441285, 0.1470273, 0.1499598, 0.1529262,
    0.1559265, 0.1589608, 0.1620294, 0.1651322, 0.1682694, 0.1714411, 0.1746474, 0.1778884, 0.1811642, 0.1844750,
    0.1878208, 0.1912017, 0.1946178, 0.1980693, 0.2015563, 0.2050787, 0.2086369, 0.2122308, 0.2158605, 0.2195262,
    0.2232280, 0.2269659, 0.2307400, 0.2345506, 0.2383976, 0.2422811, 0.2462013, 0.2501583, 0.2541521, 0.2581829,
    0.2622507, 0.2663556, 0.2704978, 0.2746773, 0.2788943, 0.2831487, 0.2874408, 0.2917706, 0.2961383, 0.3005438,
    0.3049873, 0.3094689, 0.3139887, 0.3185468, 0.3231432, 0.3277781, 0.3324515, 0.3371636, 0.3419144, 0.3467041,
    0.3515326, 0.3564001, 0.3613068, 0.3662526, 0.3712377, 0.3762621, 0.3813260, 0.3864294, 0.3915725, 0.3967552,
    0.4019778, 0.4072402, 0.4125426, 0.4178851, 0.4232677, 0.4286905, 0.4341536, 0.4396572, 0.4452012, 0.4507858,
    0.4564110, 0.4620770, 0.4677838, 0.4735315, 0.4793202, 0.4851499, 0.4910208, 0.4969330, 0.5028865, 0.5088813,
    0.5149177, 0.5209956, 0.5271151, 0.5332764, 0.5394795, 0.5457245, 0.5520114, 0.5583404, 0.5647115, 0.5711248,
    0.5775804, 0.5840784, 0.5906188, 0.5972018, 0.6038273, 0.6104956, 0.6172066, 0.6239604, 0.6307571, 0.6375969,
    0.6444797, 0.6514056, 0.6583748, 0.6653873, 0.6724432, 0.6795425, 0.6866853, 0.6938718, 0.7011019, 0.7083758,
    0.7156935, 0.7230551, 0.7304607, 0.7379104, 0.7454042, 0.7529422, 0.7605245, 0.7681511, 0.7758222, 0.7835378,
    0.7912979, 0.7991027, 0.8069523, 0.8148466, 0.8227858, 0.8307699, 0.8387990, 0.8468732, 0.8549926, 0.8631572,
    0.8713671, 0.8796224, 0.8879231, 0.8962694, 0.9046612, 0.9130987, 0.9215819, 0.9301109, 0.9386857, 0.9473065,
    0.9559734, 0.9646862, 0.9734453, 0.9822506, 0.9911021, 1.0000000,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_hex() {
        for bad in ["", "#", "#ff", "#ffff", "#fffffff", "#ggg", "rgb(0,0,0)", "0b57d0", "#ff ff ff"] {
            assert_eq!(Colour::parse(bad), None, "{bad:?}");
        }
        assert_eq!(Colour::parse(" #0B57D0 "), Some(Colour { r: 0x0b, g: 0x57, b: 0xd0 }));
    }

    #[test]
    fn the_table_is_the_wcag_formula() {
        for (c, table) in SRGB_TO_LINEAR.iter().enumerate() {
            let x = c as f64 / 255.0;
            let exact = if x <= 0.040_45 { x / 12.92 } else { ((x + 0.055) / 1.055).powf(2.4) };
            assert!((*table - exact).abs() < 1e-6, "entry {c}");
        }
    }

    #[test]
    fn contrast_matches_known_values() {
        let c = |s| Colour::parse(s).unwrap();
        // #767676 on white is the classic 4.54:1.
        assert!((c("#767676").contrast(c("#ffffff")) - 4.54).abs() < 0.01);
        assert_eq!(c("#123456").contrast(c("#123456")), 1.0);
    }
}
