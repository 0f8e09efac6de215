//! English local authorities with children's services, as data for the synthetic corpus: the
//! place name people use and the council's full name.

/// `(place, council)` for each authority; a national archive covers about this many.
pub const AUTHORITIES: [(&str, &str); 153] = [
    (
        "Barking and Dagenham",
        "London Borough of Barking and Dagenham",
    ),
    ("Barnet", "London Borough of Barnet"),
    ("Bexley", "London Borough of Bexley"),
    ("Brent", "London Borough of Brent"),
    ("Bromley", "London Borough of Bromley"),
    ("Camden", "London Borough of Camden"),
    ("City of London", "City of London Corporation"),
    ("Croydon", "London Borough of Croydon"),
    ("Ealing", "London Borough of Ealing"),
    ("Enfield", "London Borough of Enfield"),
    ("Greenwich", "Royal Borough of Greenwich"),
    ("Hackney", "London Borough of Hackney"),
    (
        "Hammersmith and Fulham",
        "London Borough of Hammersmith and Fulham",
    ),
    ("Haringey", "London Borough of Haringey"),
    ("Harrow", "London Borough of Harrow"),
    ("Havering", "London Borough of Havering"),
    ("Hillingdon", "London Borough of Hillingdon"),
    ("Hounslow", "London Borough of Hounslow"),
    ("Islington", "London Borough of Islington"),
    (
        "Kensington and Chelsea",
        "Royal Borough of Kensington and Chelsea",
    ),
    (
        "Kingston upon Thames",
        "Royal Borough of Kingston upon Thames",
    ),
    ("Lambeth", "London Borough of Lambeth"),
    ("Lewisham", "London Borough of Lewisham"),
    ("Merton", "London Borough of Merton"),
    ("Newham", "London Borough of Newham"),
    ("Redbridge", "London Borough of Redbridge"),
    (
        "Richmond upon Thames",
        "London Borough of Richmond upon Thames",
    ),
    ("Southwark", "London Borough of Southwark"),
    ("Sutton", "London Borough of Sutton"),
    ("Tower Hamlets", "London Borough of Tower Hamlets"),
    ("Waltham Forest", "London Borough of Waltham Forest"),
    ("Wandsworth", "London Borough of Wandsworth"),
    ("Westminster", "Westminster City Council"),
    ("Barnsley", "Barnsley Metropolitan Borough Council"),
    ("Birmingham", "Birmingham City Council"),
    ("Bolton", "Bolton Council"),
    ("Bradford", "City of Bradford Metropolitan District Council"),
    ("Bury", "Bury Council"),
    ("Calderdale", "Calderdale Council"),
    ("Coventry", "Coventry City Council"),
    ("Doncaster", "City of Doncaster Council"),
    ("Dudley", "Dudley Metropolitan Borough Council"),
    ("Gateshead", "Gateshead Council"),
    ("Kirklees", "Kirklees Council"),
    ("Knowsley", "Knowsley Metropolitan Borough Council"),
    ("Leeds", "Leeds City Council"),
    ("Liverpool", "Liverpool City Council"),
    ("Manchester", "Manchester City Council"),
    ("Newcastle upon Tyne", "Newcastle City Council"),
    ("North Tyneside", "North Tyneside Council"),
    ("Oldham", "Oldham Council"),
    ("Rochdale", "Rochdale Borough Council"),
    ("Rotherham", "Rotherham Metropolitan Borough Council"),
    ("St Helens", "St Helens Borough Council"),
    ("Salford", "Salford City Council"),
    ("Sandwell", "Sandwell Metropolitan Borough Council"),
    ("Sefton", "Sefton Council"),
    ("Sheffield", "Sheffield City Council"),
    ("Solihull", "Solihull Metropolitan Borough Council"),
    ("South Tyneside", "South Tyneside Council"),
    ("Stockport", "Stockport Metropolitan Borough Council"),
    ("Sunderland", "Sunderland City Council"),
    ("Tameside", "Tameside Metropolitan Borough Council"),
    ("Trafford", "Trafford Council"),
    ("Wakefield", "Wakefield Council"),
    ("Walsall", "Walsall Council"),
    ("Wigan", "Wigan Council"),
    ("Wirral", "Wirral Council"),
    ("Wolverhampton", "City of Wolverhampton Council"),
    ("Cambridgeshire", "Cambridgeshire County Council"),
    ("Derbyshire", "Derbyshire County Council"),
    ("Devon", "Devon County Council"),
    ("East Sussex", "East Sussex County Council"),
    ("Essex", "Essex County Council"),
    ("Gloucestershire", "Gloucestershire County Council"),
    ("Hampshire", "Hampshire County Council"),
    ("Hertfordshire", "Hertfordshire County Council"),
    ("Kent", "Kent County Council"),
    ("Lancashire", "Lancashire County Council"),
    ("Leicestershire", "Leicestershire County Council"),
    ("Lincolnshire", "Lincolnshire County Council"),
    ("Norfolk", "Norfolk County Council"),
    ("Nottinghamshire", "Nottinghamshire County Council"),
    ("Oxfordshire", "Oxfordshire County Council"),
    ("Staffordshire", "Staffordshire County Council"),
    ("Suffolk", "Suffolk County Council"),
    ("Surrey", "Surrey County Council"),
    ("Warwickshire", "Warwickshire County Council"),
    ("West Sussex", "West Sussex County Council"),
    ("Worcestershire", "Worcestershire County Council"),
    (
        "Bath and North East Somerset",
        "Bath and North East Somerset Council",
    ),
    ("Bedford", "Bedford Borough Council"),
    (
        "Blackburn with Darwen",
        "Blackburn with Darwen Borough Council",
    ),
    ("Blackpool", "Blackpool Council"),
    (
        "Bournemouth, Christchurch and Poole",
        "Bournemouth, Christchurch and Poole Council",
    ),
    ("Bracknell Forest", "Bracknell Forest Council"),
    ("Brighton and Hove", "Brighton and Hove City Council"),
    ("Bristol", "Bristol City Council"),
    ("Buckinghamshire", "Buckinghamshire Council"),
    ("Central Bedfordshire", "Central Bedfordshire Council"),
    ("Cheshire East", "Cheshire East Council"),
    (
        "Cheshire West and Chester",
        "Cheshire West and Chester Council",
    ),
    ("Cornwall", "Cornwall Council"),
    ("Cumberland", "Cumberland Council"),
    ("Darlington", "Darlington Borough Council"),
    ("Derby", "Derby City Council"),
    ("Dorset", "Dorset Council"),
    ("Durham", "Durham County Council"),
    (
        "East Riding of Yorkshire",
        "East Riding of Yorkshire Council",
    ),
    ("Halton", "Halton Borough Council"),
    ("Hartlepool", "Hartlepool Borough Council"),
    ("Herefordshire", "Herefordshire Council"),
    ("Isle of Wight", "Isle of Wight Council"),
    ("Isles of Scilly", "Council of the Isles of Scilly"),
    ("Hull", "Hull City Council"),
    ("Leicester", "Leicester City Council"),
    ("Luton", "Luton Borough Council"),
    ("Medway", "Medway Council"),
    ("Middlesbrough", "Middlesbrough Council"),
    ("Milton Keynes", "Milton Keynes City Council"),
    ("North East Lincolnshire", "North East Lincolnshire Council"),
    ("North Lincolnshire", "North Lincolnshire Council"),
    ("North Northamptonshire", "North Northamptonshire Council"),
    ("North Somerset", "North Somerset Council"),
    ("North Yorkshire", "North Yorkshire Council"),
    ("Northumberland", "Northumberland County Council"),
    ("Nottingham", "Nottingham City Council"),
    ("Peterborough", "Peterborough City Council"),
    ("Plymouth", "Plymouth City Council"),
    ("Portsmouth", "Portsmouth City Council"),
    ("Reading", "Reading Borough Council"),
    (
        "Redcar and Cleveland",
        "Redcar and Cleveland Borough Council",
    ),
    ("Rutland", "Rutland County Council"),
    ("Shropshire", "Shropshire Council"),
    ("Slough", "Slough Borough Council"),
    ("Somerset", "Somerset Council"),
    ("South Gloucestershire", "South Gloucestershire Council"),
    ("Southampton", "Southampton City Council"),
    ("Southend-on-Sea", "Southend-on-Sea City Council"),
    ("Stockton-on-Tees", "Stockton-on-Tees Borough Council"),
    ("Stoke-on-Trent", "Stoke-on-Trent City Council"),
    ("Swindon", "Swindon Borough Council"),
    ("Telford and Wrekin", "Telford and Wrekin Council"),
    ("Thurrock", "Thurrock Council"),
    ("Torbay", "Torbay Council"),
    ("Warrington", "Warrington Borough Council"),
    ("West Berkshire", "West Berkshire Council"),
    ("West Northamptonshire", "West Northamptonshire Council"),
    ("Westmorland and Furness", "Westmorland and Furness Council"),
    ("Wiltshire", "Wiltshire Council"),
    (
        "Windsor and Maidenhead",
        "Royal Borough of Windsor and Maidenhead",
    ),
    ("Wokingham", "Wokingham Borough Council"),
    ("York", "City of York Council"),
];

/// An authority: the place name people use and the council's full name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authority {
    pub place: &'static str,
    pub council: &'static str,
}

impl Authority {
    /// The `index`-th authority of the table (wrapping).
    pub fn nth(index: usize) -> Authority {
        let (place, council) = AUTHORITIES[index % AUTHORITIES.len()];
        Authority { place, council }
    }

    /// The authority of a council named in full, when it is one of ours.
    pub fn named(council: &str) -> Option<Authority> {
        let i = AUTHORITIES
            .iter()
            .position(|(_, full)| full.eq_ignore_ascii_case(council.trim()))?;
        Some(Authority::nth(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn names_are_unique() {
        let places: BTreeSet<&str> = AUTHORITIES.iter().map(|(p, _)| *p).collect();
        let councils: BTreeSet<&str> = AUTHORITIES.iter().map(|(_, c)| *c).collect();
        assert_eq!(places.len(), AUTHORITIES.len());
        assert_eq!(councils.len(), AUTHORITIES.len());
    }

    #[test]
    fn finds_authority_by_council() {
        let leeds = Authority::named("Leeds City Council").unwrap();
        assert_eq!(leeds.place, "Leeds");
        assert_eq!(Authority::named("Nowhere Council"), None);
    }
}
