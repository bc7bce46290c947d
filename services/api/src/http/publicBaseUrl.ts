import { isIP } from "node:net";
import type { Request, RequestHandler } from "express";

const label = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const hostAndPort = new RegExp(`^(?:(?:${label})(?:\\.${label})*|\\[([0-9A-Fa-f:.]+)\\])(?::(\\d{1,5}))?$`);

/** A Host (or X-Forwarded-Host) value that is a valid `host[:port]`: a DNS name, an IPv4 address or a bracketed IPv6 address. */
export const isValidHost = (value: string): boolean => {
  const match = hostAndPort.exec(value);
  if (!match) return false;
  const [, ipv6, port] = match;
  if (ipv6 !== undefined && isIP(ipv6) !== 6) return false;
  return port === undefined || Number(port) <= 65535;
};

/** The address the connection arrived on: the server's own listen address, never anything the caller said. */
const listenAddressOf = (request: Request): string => {
  const { localAddress, localPort } = request.socket;
  if (localAddress === undefined) return "localhost";
  const host = isIP(localAddress) === 6 ? `[${localAddress}]` : localAddress;
  return localPort === undefined ? host : `${host}:${localPort}`;
};

const baseUrls = new WeakMap<Request, string>();

/**
 * Works out, once per request, the base of the absolute URIs the API answers with:
 * the configured public URL; without one, the request's Host when it is a valid
 * `host[:port]`, else the listen address. A malformed Host is never reflected.
 */
export const publicBaseUrl =
  (configured: string | undefined): RequestHandler =>
  (request, _response, next) => {
    if (configured !== undefined) {
      baseUrls.set(request, configured);
    } else {
      // `protocol` and `host` follow X-Forwarded-* only when "trust proxy" says so.
      const protocol = request.protocol === "https" ? "https" : "http";
      const host = request.host;
      baseUrls.set(request, `${protocol}://${host !== undefined && isValidHost(host) ? host : listenAddressOf(request)}`);
    }
    next();
  };

/** The base worked out by publicBaseUrl for this request. */
export const publicBaseUrlOf = (request: Request): string => baseUrls.get(request) ?? `http://${listenAddressOf(request)}`;
