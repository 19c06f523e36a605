import JarvisPostgres
import Testing

extension PostgresTests {
    @Suite struct CStringArrayTests {
        @Test func stringsArriveNulTerminatedAndNilAsNullPointer() {
            let input: [String?] = ["alpha", nil, "", "Grüße 🚀", "a;b'c\"d"]
            let seen = withCStringArray(input) { array, count -> [String?] in
                (0..<count).map { index in array[index].map { String(cString: $0) } }
            }
            #expect(seen == input)
        }

        @Test func eachStringIsTerminatedRightAfterItsBytes() {
            let lengths = withCStringArray(["abc", "", "é"]) { array, count -> [Int] in
                (0..<count).map { index -> Int in
                    guard let pointer = array[index] else { return -1 }
                    var length = 0
                    while pointer[length] != 0 { length += 1 }
                    return length
                }
            }
            #expect(lengths == [3, 0, 2])
        }

        @Test func emptyArrayGivesCountZero() {
            let count = withCStringArray([]) { _, count in count }
            #expect(count == 0)
        }

        @Test func errorsFromTheBodyPassThrough() {
            struct Boom: Error {}
            #expect(throws: Boom.self) {
                try withCStringArray(["x"]) { (_, _) throws(Boom) -> Void in throw Boom() }
            }
        }

        @Test func nulBytesAreFound() {
            #expect(firstIndexContainingNUL(["a", nil, "b\u{0}c"]) == 2)
            #expect(firstIndexContainingNUL(["a", nil, "bc"]) == nil)
        }
    }
}
