import Dispatch

/// SHA-256 of a file, computed on a background thread while the caller parses the same file.
///
/// Hashing runs at about a third of the speed of parsing, so doing it inline would make every
/// stage's input pass a third slower; on a second core it costs no wall time. The file is read a
/// second time from the page cache.
public final class FileDigest {
    private let done = DispatchSemaphore(value: 0)
    private var result = ""

    /// False under `--threads 1`: digests are then computed on the calling thread, in turn.
    public static var runsInBackground = true

    /// Starts hashing `path` now.
    public init(path: String) {
        guard FileDigest.runsInBackground else {
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
