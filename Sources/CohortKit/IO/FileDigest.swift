import Dispatch

/// Where the SHA-256 of a file a stage reads or writes is computed. A stage takes it from its
/// context (`StageContext.digestMode`): in the background unless it runs on one thread.
public enum DigestMode: Sendable {
    /// On a background queue, while the caller parses or writes.
    case background
    /// On the calling thread, in turn (`--threads 1`).
    case inline
}

/// SHA-256 of a file, computed on a background thread while the caller parses the same file.
///
/// Hashing runs at about a third of the speed of parsing, so doing it inline would make every
/// stage's input pass a third slower; on a second core it costs no wall time. The file is read a
/// second time from the page cache.
public final class FileDigest {
    private let done = DispatchSemaphore(value: 0)
    private var result = ""

    /// Starts hashing `path` now (`.inline`: hashes it before returning).
    public init(path: String, mode: DigestMode) {
        guard mode == .background else {
            result = (try? SHA256.hex(ofFile: path)) ?? ""
            done.signal()
            return
        }
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            result = (try? SHA256.hex(ofFile: path)) ?? ""
            done.signal()
        }
    }

    /// The digest as lowercase hex; blocks until hashing has finished ("" if the file vanished).
    public func hex() -> String {
        done.wait()
        done.signal()
        return result
    }
}
