import JarvisCore
import JarvisPostgres

/// `jarvis approve` under the claims every runner shares.
extension LiveRunnerCoordination {
    public func claimApproval(_ request: ApprovalClaimRequest) throws -> ApprovalClaim { try call { try $0.claimApproval(request) } }
}
