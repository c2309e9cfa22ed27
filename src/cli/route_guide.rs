//! `h2grpc route-guide`: the RouteGuide tutorial client
//! (route_guide_client.py): GetFeature twice, ListFeatures over the
//! tutorial's rectangle, RecordRoute over ten random known points, RouteChat
//! with five notes; it prints what the Python client prints, points in
//! Python's protobuf text format.

use std::time::{SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use h2grpc::services::route_guide::{
    Feature, FeatureDb, Point, Rectangle, RouteGuideClient, RouteNote,
};

use super::{say, CliError, Target};

/// Options of `h2grpc route-guide`.
#[derive(Debug, clap::Args)]
pub struct RouteGuideArgs {
    /// Seed of the random route RecordRoute sends (default: the clock), so a
    /// run can be replayed.
    #[arg(long)]
    pub seed: Option<u64>,
    #[command(flatten)]
    pub target: Target,
}

/// Runs the tutorial client's four calls.
pub async fn run(args: RouteGuideArgs) -> Result<(), CliError> {
    let client = RouteGuideClient::new(args.target.connect().await?);
    say!("-------------- GetFeature --------------")?;
    get_one_feature(&client, Point::new(409146138, -746188906)).await?;
    get_one_feature(&client, Point::new(0, 0)).await?;
    say!("-------------- ListFeatures --------------")?;
    list_features(&client).await?;
    say!("-------------- RecordRoute --------------")?;
    let seed = args.seed.unwrap_or_else(clock_seed);
    record_route(&client, seed).await?;
    say!("-------------- RouteChat --------------")?;
    route_chat(&client).await
}

/// A point as Python prints a `Point` message: each non-default field on a
/// line of its own, `""` for (0, 0).
fn python_text(point: Option<Point>) -> String {
    let point = point.unwrap_or_default();
    let mut text = String::new();
    if point.latitude != 0 {
        text.push_str(&format!("latitude: {}\n", point.latitude));
    }
    if point.longitude != 0 {
        text.push_str(&format!("longitude: {}\n", point.longitude));
    }
    text
}

fn print_feature(feature: &Feature) -> Result<(), CliError> {
    say!(
        "Feature called {} at {}",
        feature.name,
        python_text(feature.location)
    )
}

async fn get_one_feature(client: &RouteGuideClient, point: Point) -> Result<(), CliError> {
    let feature = client
        .get_feature(point)
        .await
        .map_err(CliError::call("routeguide.RouteGuide/GetFeature"))?
        .into_inner();
    match feature.location {
        None => say!("Server returned incomplete feature"),
        Some(_) if feature.name.is_empty() => {
            say!("Found no feature at {}", python_text(feature.location))
        }
        Some(_) => print_feature(&feature),
    }
}

async fn list_features(client: &RouteGuideClient) -> Result<(), CliError> {
    const METHOD: &str = "routeguide.RouteGuide/ListFeatures";
    let rectangle = Rectangle {
        lo: Some(Point::new(400000000, -750000000)),
        hi: Some(Point::new(420000000, -730000000)),
    };
    say!("Looking for features between 40, -75 and 42, -73")?;
    let mut features = client
        .list_features(rectangle)
        .await
        .map_err(CliError::call(METHOD))?
        .into_inner();
    while let Some(feature) = features.next().await {
        print_feature(&feature.map_err(CliError::call(METHOD))?)?;
    }
    Ok(())
}

async fn record_route(client: &RouteGuideClient, seed: u64) -> Result<(), CliError> {
    // The tutorial picks from its own copy of the database.
    let known = FeatureDb::tutorial();
    let mut random = XorShift::new(seed);
    let mut route = Vec::new();
    for _ in 0..10 {
        let Some(index) = random.below(known.features().len()) else {
            break;
        };
        let location = known.features()[index].location.unwrap_or_default();
        say!("Visiting point {}", python_text(Some(location)))?;
        route.push(location);
    }
    let summary = client
        .record_route(futures_util::stream::iter(route))
        .await
        .map_err(CliError::call("routeguide.RouteGuide/RecordRoute"))?
        .into_inner();
    say!("Finished trip with {} points ", summary.point_count)?;
    say!("Passed {} features ", summary.feature_count)?;
    say!("Travelled {} meters ", summary.distance)?;
    say!("It took {} seconds ", summary.elapsed_time)?;
    Ok(())
}

async fn route_chat(client: &RouteGuideClient) -> Result<(), CliError> {
    const METHOD: &str = "routeguide.RouteGuide/RouteChat";
    let notes = [
        ("First message", 0, 0),
        ("Second message", 0, 1),
        ("Third message", 1, 0),
        ("Fourth message", 0, 0),
        ("Fifth message", 1, 0),
    ]
    .map(|(message, latitude, longitude)| RouteNote {
        location: Some(Point::new(latitude, longitude)),
        message: message.to_owned(),
    });
    // Each note is printed as it is taken for sending, as the Python
    // generator does; a failed print shows again at the next `say!`.
    let outgoing = futures_util::stream::iter(notes).inspect(|note| {
        let _ = say!("Sending {} at {}", note.message, python_text(note.location));
    });
    let mut replies = client
        .route_chat(outgoing)
        .await
        .map_err(CliError::call(METHOD))?
        .into_inner();
    while let Some(note) = replies.next().await {
        let note = note.map_err(CliError::call(METHOD))?;
        say!(
            "Received message {} at {}",
            note.message,
            python_text(note.location)
        )?;
    }
    Ok(())
}

fn clock_seed() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0x9e37_79b9_7f4a_7c15, |elapsed| elapsed.as_nanos() as u64)
}

/// xorshift64*: plenty for picking tutorial points, reproducible by seed.
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> XorShift {
        // The state must never be zero.
        XorShift(seed ^ 0x9e37_79b9_7f4a_7c15 | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `bound`, or `None` when `bound` is 0.
    fn below(&mut self, bound: usize) -> Option<usize> {
        (bound > 0).then(|| (self.next() % bound as u64) as usize)
    }
}
