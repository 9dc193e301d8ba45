import Dispatch

/// Where the digest of a file a stage reads or writes is computed. A stage takes it from its
/// context (`StageContext.digestMode`): in the background unless it runs on one thread.
public enum DigestMode: Sendable {
    /// On a background queue, while the caller parses or writes.
    case background
    /// On the calling thread, in turn (`--threads 1`).
    case inline
}

/// Which digest of a file is computed: SHA-256 for files no manifest describes (the sources, a
/// report's history), XXH64 for an upstream output whose manifest lists both (docs/stages.md#manifest).
public enum DigestAlgorithm: Sendable {
    case sha256
    case xxh64
}

/// The digest of a file, computed on a background thread while the caller parses the same file.
///
/// SHA-256 runs at about a third of the speed of parsing, so doing it inline would make every
/// stage's input pass a third slower; on a second core it costs no wall time. The file is read a
/// second time from the page cache.
public final class FileDigest {
    public let algorithm: DigestAlgorithm
    private let path: String
    private let mode: DigestMode
    private let done = DispatchSemaphore(value: 0)
    private var result = ""
    /// The inline digest, computed on first use.
    private lazy var inlineHex = Self.hex(path, algorithm)

    /// Starts hashing `path` now in the background; `.inline` hashes it on the calling thread
    /// when the digest is first asked for, after the caller has read the file (so a file that
    /// turns out not to be the right one stops at the reader's line limit before it is hashed).
    /// The file is read twice: ingest refuses a source that cannot be (a pipe, a device).
    public init(path: String, mode: DigestMode, algorithm: DigestAlgorithm = .sha256) {
        self.algorithm = algorithm
        self.path = path
        self.mode = mode
        guard mode == .background else { return }
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            result = Self.hex(path, algorithm)
            done.signal()
        }
    }

    private static func hex(_ path: String, _ algorithm: DigestAlgorithm) -> String {
        switch algorithm {
        case .sha256: return (try? SHA256.hex(ofFile: path)) ?? ""
        case .xxh64: return (try? XXH64.hex(ofFile: path)) ?? ""
        }
    }

    /// The digest as lowercase hex; blocks until hashing has finished ("" if the file vanished).
    public func hex() -> String {
        guard mode == .background else { return inlineHex }
        done.wait()
        done.signal()
        return result
    }
}
