/// The labels alert keys and host routing read, found in one pass over a small label set.
///
/// Every alert is routed and keyed, which looks up to eight labels by name; each lookup
/// hashes its name. Alertmanager label sets are small (a handful of labels), and one walk
/// that compares names by length first is several times cheaper than the hashing. Larger
/// sets are looked up as before. Either way the values are exactly `labels[name]`.
struct WellKnownLabels {
    var alertname: String?
    var container: String?
    var host: String?
    var remediationHost: String?
    var system: String?
    var instance: String?

    /// Label sets up to this size are walked; larger ones are looked up by name.
    static let walkLimit = 12

    init(_ labels: [String: String]) {
        guard labels.count <= Self.walkLimit else {
            alertname = labels["alertname"]
            container = labels["container"]
            host = labels["host"]
            remediationHost = labels["remediation_host"]
            system = labels["system"]
            instance = labels["instance"]
            return
        }
        for (name, value) in labels {
            // The length (stored inline in the string) rules out most names without comparing.
            switch name.utf8.count {
            case 4: if name == "host" { host = value }
            case 6: if name == "system" { system = value }
            case 8: if name == "instance" { instance = value }
            case 9:
                if name == "alertname" {
                    alertname = value
                } else if name == "container" {
                    container = value
                }
            case 16: if name == "remediation_host" { remediationHost = value }
            default: break
            }
        }
    }

}
