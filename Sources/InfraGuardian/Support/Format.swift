import Foundation

/// Human-readable numbers for reports.
public enum Format {
    public static func millis(_ value: Double) -> String {
        if value >= 100 { return "\(Int(value.rounded())) ms" }
        if value >= 10 { return String(format: "%.0f ms", value) }
        if value >= 1 { return String(format: "%.1f ms", value) }
        return String(format: "%.2f ms", value)
    }

    /// A duration in the largest whole unit that fits: "45 s", "30 min", "6 h", "30 d".
    public static func seconds(_ value: Double) -> String {
        let whole = Int64(value.rounded())
        for (size, unit) in [(Int64(86_400), "d"), (3_600, "h"), (60, "min")] where whole >= size && whole % size == 0 || whole >= size * 10 {
            return "\(grouped(whole / size)) \(unit)"
        }
        return "\(grouped(whole)) s"
    }

    public static func bytes(_ value: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1024, unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        return unit == 0 ? "\(value)B" : (amount >= 10 ? String(format: "%.0f%@", amount, units[unit])
                                                        : String(format: "%.1f%@", amount, units[unit]))
    }

    /// 1234567 → "1,234,567" (locale-independent, so reports read the same everywhere).
    public static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    public static func isoDate(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }

    public static func isoTimestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
