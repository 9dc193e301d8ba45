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

    deinit {
        close(fd)
        scratch?.deallocate()
    }

    private var scratch: UnsafeMutableRawBufferPointer?

    /// Appends up to `max` bytes to `buffer`; returns the count, 0 at end of file.
    public func read(into buffer: inout [UInt8], max: Int) throws -> Int {
        if scratch == nil || scratch!.count < max {
            scratch?.deallocate()
            scratch = .allocate(byteCount: max, alignment: 16)
        }
        let s = scratch!
        var got = 0
        while true {
            let n = Glibc.read(fd, s.baseAddress, max)
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError.cannotRead(path: path, reason: String(cString: strerror(errno)))
            }
            got = n
            break
        }
        guard got > 0 else { return 0 }
        let chunk = UnsafeBufferPointer(start: s.baseAddress!.assumingMemoryBound(to: UInt8.self), count: got)
        buffer.append(contentsOf: chunk)
        bytesRead += got
        digest?.update(chunk)
        return got
    }

}
