import Histogram

/// Latency percentiles through HdrHistogram (microsecond resolution, 3 significant digits).
///
/// A high percentile of a few samples is only the largest sample: P95 needs at least
/// `minimumSamplesP95` samples and P99 `minimumSamplesP99`, otherwise it is nil (`—` and the sample
/// count in the report, `null` in JSON). The rule is applied when a summary is made or decoded, so
/// no summary carries a P99 of 5 samples, whoever made it.
public struct LatencySummary: Codable, Sendable, Equatable {
    public static let minimumSamplesP95 = 20
    public static let minimumSamplesP99 = 100

    public var samples: Int
    public var p50Millis: Double
    public private(set) var p95Millis: Double?
    public private(set) var p99Millis: Double?
    public var maxMillis: Double

    public init(samples: Int, p50Millis: Double, p95Millis: Double?, p99Millis: Double?, maxMillis: Double) {
        self.samples = samples
        self.p50Millis = p50Millis
        self.p95Millis = samples >= Self.minimumSamplesP95 ? p95Millis : nil
        self.p99Millis = samples >= Self.minimumSamplesP99 ? p99Millis : nil
        self.maxMillis = maxMillis
    }

    private enum CodingKeys: String, CodingKey {
        case samples, p50Millis, p95Millis, p99Millis, maxMillis
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(samples: try container.decode(Int.self, forKey: .samples),
                  p50Millis: try container.decode(Double.self, forKey: .p50Millis),
                  p95Millis: try container.decodeIfPresent(Double.self, forKey: .p95Millis),
                  p99Millis: try container.decodeIfPresent(Double.self, forKey: .p99Millis),
                  maxMillis: try container.decode(Double.self, forKey: .maxMillis))
    }

    /// A percentile withheld is written as `null` beside `samples`, never left out.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(samples, forKey: .samples)
        try container.encode(p50Millis, forKey: .p50Millis)
        try container.encode(p95Millis, forKey: .p95Millis)
        try container.encode(p99Millis, forKey: .p99Millis)
        try container.encode(maxMillis, forKey: .maxMillis)
    }
}

public enum Percentiles {
    public static func summarize(_ millis: [Double]) -> LatencySummary? {
        guard !millis.isEmpty else { return nil }
        var histogram = Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
        // Microseconds within what the histogram tracks (an hour): a wild value is clamped, never a trap.
        let highest = Double(histogram.highestTrackableValue)
        for value in millis {
            let micros = (value * 1000).rounded()
            _ = histogram.record(UInt64(micros.isFinite ? min(max(1, micros), highest) : highest))
        }
        func at(_ p: Double) -> Double { Double(histogram.valueAtPercentile(p)) / 1000 }
        return LatencySummary(samples: millis.count, p50Millis: at(50), p95Millis: at(95), p99Millis: at(99),
                              maxMillis: Double(histogram.max) / 1000)
    }

    public static func median(_ millis: [Double]) -> Double? {
        guard !millis.isEmpty else { return nil }
        let sorted = millis.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
