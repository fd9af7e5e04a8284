import KubeModel
import NIOCore
import NIOHTTP1

/// One client connection of the Ingress, on one event loop with the endpoint connections it
/// uses: reads a request (its body up to proxy-body-size, as nginx buffers it), then answers it
/// itself or passes it to the endpoints `IngressProxy` chose, trying the next one as nginx's
/// proxy_next_upstream does, and streams the answer back as it arrives. The endpoint is read
/// only while the client takes what was sent, so nothing piles up in memory.
final class IngressConnection: ChannelInboundHandler, IngressUpstreamDelegate {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The request being passed on and how far it got.
    private struct Exchange {
        let request: HTTPRequestHead
        let forward: IngressProxy.Forward
        var attempt = 0
        var failure = 502
        var upstream: (channel: any Channel, handler: IngressUpstream, endpoint: ServiceEndpoint, reused: Bool)?
        var responded = false
        /// An endpoint read waits for the client to become writable.
        var readPaused = false
    }

    let proxy: IngressProxy
    let client: IngressProxy.Client
    private var context: ChannelHandlerContext?
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var tooLarge = false
    private var keepAlive = true
    private var exchange: Exchange?
    /// Counts requests, so that a connect finishing late does not touch a later request.
    private var generation = 0
    /// A request held while its Service wakes from zero; cancelled if the client leaves.
    private var holding: Task<Void, Never>?

    init(proxy: IngressProxy, client: IngressProxy.Client) {
        self.proxy = proxy
        self.client = client
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = nil
            tooLarge = (head.headers.first(name: "content-length").flatMap { Int($0) } ?? 0) > IngressProxy.maxBodySize
        case .body(var chunk):
            guard !tooLarge else { return }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > IngressProxy.maxBodySize {
                tooLarge = true
                body = nil
            } else if body == nil {
                body = chunk
            } else {
                body?.writeBuffer(&chunk)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            generation += 1
            keepAlive = head.isKeepAlive && !tooLarge
            if tooLarge { return respond(IngressProxy.page(IngressPages.tooLarge, head)) }
            dispatch(head, body, mayHold: true)
        }
    }

    /// Answers, forwards, or (for a Service scaled to zero) holds the request while the
    /// activator wakes it, then decides again, once.
    private func dispatch(_ head: HTTPRequestHead, _ requestBody: ByteBuffer?, mayHold: Bool, woken outcome: Activator.Outcome = .none) {
        var woken: ServiceEndpoint?
        if case .pod(let endpoint) = outcome { woken = endpoint }
        switch proxy.decide(head, body: requestBody, from: client, mayHold: mayHold, woken: woken) {
        case .answer(let answer):
            respond(answer)
        case .forward(let forward):
            body = nil
            exchange = Exchange(request: head, forward: forward)
            tryEndpoint(fresh: false)
        case .hold(let target, let activator):
            guard let context else { return }
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            let generation = self.generation
            let loop = context.eventLoop
            holding = Task {
                let outcome = await activator.activate(target.service, port: target.port)
                loop.execute {
                    let me = bound.value
                    // The client may have left (or sent another request) meanwhile.
                    guard me.generation == generation, me.context != nil else { return }
                    me.dispatch(head, requestBody, mayHold: false, woken: outcome)
                }
            }
        }
    }

    /// Sends the request to the endpoint of the current attempt: over a kept-alive connection
    /// unless `fresh`, else over a new one.
    private func tryEndpoint(fresh: Bool) {
        guard let context, let exchange else { return }
        guard exchange.attempt < exchange.forward.endpoints.count else {
            let page = exchange.failure == 504 ? IngressPages.gatewayTimeout : IngressPages.badGateway
            return respond(IngressProxy.page(page, exchange.request))
        }
        let endpoint = exchange.forward.endpoints[exchange.attempt]
        if !fresh, let channel = proxy.pool.take(endpoint, on: context.eventLoop),
           let handler = try? channel.pipeline.syncOperations.handler(type: IngressUpstream.self) {
            return send(over: channel, handler, endpoint, reused: true)
        }
        let generation = self.generation
        IngressUpstream.connect(endpoint, on: context.eventLoop, pool: proxy.pool, timeout: proxy.readTimeout).assumeIsolated().whenComplete { [self] result in
            guard self.generation == generation, self.exchange != nil else {
                // The client left meanwhile.
                if case .success(let channel) = result { channel.close(promise: nil) }
                return
            }
            switch result {
            case .success(let channel):
                if let handler = try? channel.pipeline.syncOperations.handler(type: IngressUpstream.self) {
                    send(over: channel, handler, endpoint, reused: false)
                } else {
                    channel.close(promise: nil)
                    nextEndpoint(failure: 502)
                }
            case .failure(let error):
                // Refused, unreachable or timed out: nothing was sent, so any method may go on.
                if case ChannelError.connectTimeout = error { nextEndpoint(failure: 504) } else { nextEndpoint(failure: nil) }
            }
        }
    }

    private func nextEndpoint(failure: Int?) {
        exchange?.attempt += 1
        if let failure { exchange?.failure = failure }
        tryEndpoint(fresh: false)
    }

    private func send(over channel: any Channel, _ handler: IngressUpstream, _ endpoint: ServiceEndpoint, reused: Bool) {
        guard let forward = exchange?.forward else { return }
        exchange?.upstream = (channel, handler, endpoint, reused)
        handler.send(forward.head, body: forward.body, to: self)
    }

    // MARK: The endpoint's answer

    func upstreamHead(_ head: HTTPResponseHead) {
        guard let context, let request = exchange?.request else { return }
        exchange?.responded = true
        var out = IngressProxy.downstreamHead(head, version: request.version)
        if !keepAlive { out.headers.replaceOrAdd(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(out)), promise: nil)
    }

    func upstreamBody(_ bytes: ByteBuffer) {
        context?.write(wrapOutboundOut(.body(.byteBuffer(bytes))), promise: nil)
    }

    func upstreamReadComplete() {
        guard let context, let upstream = exchange?.upstream else { return }
        context.flush()
        if context.channel.isWritable { upstream.handler.read() } else { exchange?.readPaused = true }
    }

    func upstreamEnd(reusable: Bool) {
        guard let upstream = exchange?.upstream else { return }
        exchange?.upstream = nil
        if reusable, proxy.pool.put(upstream.channel, upstream.endpoint) {
            upstream.handler.read()
        } else {
            upstream.channel.close(promise: nil)
        }
        complete()
    }

    func upstreamFailed(answered: Bool) {
        guard let context, let exchange, let upstream = exchange.upstream else { return }
        self.exchange?.upstream = nil
        upstream.channel.close(promise: nil)
        // Part of the answer went out: cut it short, as nginx does.
        if exchange.responded { return context.close(promise: nil) }
        // Sent, then failed: only an idempotent request goes again (nginx passes a POST, PATCH or
        // LOCK to no other upstream once sent). A kept-alive connection the endpoint had just
        // closed is retried on a new one to the same endpoint.
        guard IngressProxy.idempotent.contains(exchange.request.method) else {
            return respond(IngressProxy.page(IngressPages.badGateway, exchange.request))
        }
        if upstream.reused && !answered { tryEndpoint(fresh: true) } else { nextEndpoint(failure: nil) }
    }

    func upstreamSilent() {
        guard let context, let exchange, let upstream = exchange.upstream, !exchange.readPaused else { return }
        // proxy-read-timeout: 504, and no other endpoint is tried.
        self.exchange?.upstream = nil
        upstream.handler.detach()
        upstream.channel.close(promise: nil)
        if exchange.responded { return context.close(promise: nil) }
        respond(IngressProxy.page(IngressPages.gatewayTimeout, exchange.request))
    }

    // MARK: The client

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, exchange?.readPaused == true {
            exchange?.readPaused = false
            exchange?.upstream?.handler.read()
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let upstream = exchange?.upstream {
            upstream.handler.detach()
            upstream.channel.close(promise: nil)
        }
        exchange = nil
        generation += 1
        holding?.cancel()
        holding = nil
        context.fireChannelInactive()
    }

    private func respond(_ answer: IngressProxy.Answer) {
        guard let context else { return }
        var head = answer.head
        if !keepAlive { head.headers.replaceOrAdd(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body = answer.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        complete()
    }

    /// Ends the answer; closes the connection when the request asked for it.
    private func complete() {
        guard let context else { return }
        exchange = nil
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
