import Testing
@testable import APIServer

/// Request paths and queries read as Go's net/url and kube-apiserver's request info resolver read them.
@Suite struct APIPathTests {
    @Test func resourcePathsResolveThroughTheCatalog() throws {
        guard case .resource(let r) = APIPath.parse("/apis/apps/v1/namespaces/default/deployments/web/scale") else {
            Issue.record("not a resource path")
            return
        }
        #expect(r.info.kind == "Deployment")
        #expect(r.namespace == "default" && r.name == "web" && r.subresource == "scale")
        guard case .resource(let ns) = APIPath.parse("/api/v1/namespaces/kube-system") else {
            Issue.record("not a namespace path")
            return
        }
        #expect(ns.info.kind == "Namespace" && ns.name == "kube-system" && ns.namespace == nil)
        // Empty segments are skipped; the query is not part of the path.
        guard case .resource(let pods) = APIPath.parse("//api/v1//pods?watch=1") else {
            Issue.record("not a pods path")
            return
        }
        #expect(pods.info.kind == "Pod" && pods.name == nil)
        guard case .unknown = APIPath.parse("/apis/apps/v1/namespaces/default/nosuchthings") else {
            Issue.record("an unknown resource resolved")
            return
        }
    }

    @Test func pathSegmentsAreUnescapedAsPathUnescapeDoes() {
        #expect(APIPath.segments("/api/v1/namespaces/a%2Db/pods/x+y") == ["api", "v1", "namespaces", "a-b", "pods", "x+y"])
        // A malformed escape stays as written.
        #expect(APIPath.segments("/a/%zz/%4") == ["a", "%zz", "%4"])
        #expect(APIPath.segments("/") == [])
    }

    @Test func queriesAreDecodedAsParseQueryDoes() {
        let q = Query("/api/v1/pods?labelSelector=app%3Dweb%2Ctier+in+(a)&watch=1&watch=0&empty=&flag")
        #expect(q["labelSelector"] == "app=web,tier in (a)")
        // url.Values.Get returns the first of repeated values.
        #expect(q.bool("watch"))
        #expect(q["empty"] == "" && q["flag"] == "")
        #expect(Query("/api/v1/pods")["watch"] == nil)
    }
}
