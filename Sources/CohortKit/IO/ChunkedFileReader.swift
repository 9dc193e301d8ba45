#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file in large chunks with `read(2)`, optionally feeding a running SHA-256 so inputs
/// are digested in the same pass that parses them.
public final class ChunkedFileReader {
    public let path: String
    private let fd: Int32
    public private(set) var bytesRead: Int = 0
    public var digest: SHA256?

    public init(path: String, computeDigest: Bool = false) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            throw e == ENOENT ? InputError.missingFile(path: path) : InputError.cannotRead(path: path, reason: String(cString: strerror(e)))
        }
        if computeDigest { digest = SHA256() }
    }

    deinit { close(fd) }

    /// Appends up to `max` bytes to `buffer`; returns the count, 0 at end of file.
    public func read(into buffer: inout [UInt8], max: Int) throws -> Int {
        let old = buffer.count
        buffer.reserveCapacity(old + max)
        var got = 0
        // Grow without zero-filling twice: append uninitialized capacity via a temporary count.
        buffer.append(contentsOf: repeatElement(0, count: max))
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + old, max) }
            if n < 0 {
                if errno == EINTR { continue }
                buffer.removeLast(max)
                throw InputError.cannotRead(path: path, reason: String(cString: strerror(errno)))
            }
            got = n
            break
        }
        buffer.removeLast(max - got)
        if got > 0 {
            bytesRead += got
            if digest != nil { buffer.withUnsafeBufferPointer { digest!.update(UnsafeBufferPointer(rebasing: $0[old..<old + got])) } }
        }
        return got
    }
}
