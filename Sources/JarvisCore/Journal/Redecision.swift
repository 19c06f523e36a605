/// A decision about an alert event that is already stored.
public struct Redecision: Sendable {
    public var eventKey: String
    public var alertKey: String
    public var decision: RecordedDecision
    public init(eventKey: String, alertKey: String, decision: RecordedDecision) {
        self.eventKey = eventKey
        self.alertKey = alertKey
        self.decision = decision
    }
}
