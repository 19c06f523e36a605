import Foundation

/// The optional Prometheus check of a remediation (docs/behaviour.md, "Verification"): an instant
/// query per alertname (`remediation.checks`), whose `{{label}}` placeholders are filled from
/// the alert's labels. An empty result means the problem is gone; any sample means it is
/// still there.
public enum PrometheusCheckQuery {
    /// The expression with `{{label}}` replaced by the label's value, escaped for a PromQL
    /// double-quoted string; nil when a label it names is missing.
    public static func expression(_ template: String, labels: [String: String]) -> String? {
        var out = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else { return nil }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard let value = labels[name] else { return nil }
            out += value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// `GET <base>/api/v1/query?query=<expr>`.
    public static func request(baseURL: String, expression: String, timeout: Double) -> HTTPRequest {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let query = expression.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        return HTTPRequest(
            method: "GET", url: "\(base)/api/v1/query?query=\(query)", headers: [HTTPHeader("Accept", "application/json")], timeout: timeout)
    }

    /// `passed` for an empty result, `stillFiring` for any sample, `unreachable` for an
    /// error answer or a body that is not Prometheus' (never trusted to mean "fixed").
    public static func verdict(_ response: HTTPResponse) -> VerificationEvidence.PrometheusCheck {
        guard response.status == 200,
            let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            object["status"] as? String == "success", let data = object["data"] as? [String: Any]
        else { return .unreachable }
        // Only an instant vector can say whether an alert is gone (a scalar or string cannot).
        guard data["resultType"] as? String == "vector", let vector = data["result"] as? [Any] else { return .unreachable }
        return vector.isEmpty ? .passed : .stillFiring
    }
}
