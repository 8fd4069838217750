import Histogram

/// Latency percentiles through HdrHistogram (microsecond resolution, 3 significant digits).
public struct LatencySummary: Codable, Sendable, Equatable {
    public var samples: Int
    public var p50Millis: Double
    public var p95Millis: Double
    public var p99Millis: Double
    public var maxMillis: Double
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
