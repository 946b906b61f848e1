//! Lint rules on services and RPCs: names, suffixes, streaming, request and response types.

use std::collections::BTreeMap;

use super::Lint;
use super::case::pascal;
use super::elements::documented;
use crate::go::quote;
use crate::image::{Loc, tag};

const EMPTY: &str = "google.protobuf.Empty";

pub(super) fn check(c: &mut Lint<'_, '_>) {
    let index = c.index;
    // RPC full name -> (location, request, response)
    let mut rpcs: BTreeMap<String, (Loc, String, String)> = BTreeMap::new();
    for (full_name, service) in &index.services {
        let name = service.proto.name();
        let expected = pascal(name);
        let at_name = service.loc.child(&[tag::NAME]);
        if expected != name {
            let message = format!(
                "Service name {} should be PascalCase, such as {}.",
                quote(name),
                quote(&expected)
            );
            c.add("SERVICE_PASCAL_CASE", &at_name, message);
        }
        let suffix = c.options().service_suffix.clone();
        if !name.ends_with(&suffix) {
            let message = format!(
                "Service name {} should be suffixed with {}.",
                quote(name),
                quote(&suffix)
            );
            c.add("SERVICE_SUFFIX", &at_name, message);
        }
        documented(c, "COMMENT_SERVICE", "Service", name, &service.loc);
        for (method_name, method) in index.methods(service) {
            let request = method.proto.input_type().trim_start_matches('.').to_owned();
            let response = method
                .proto
                .output_type()
                .trim_start_matches('.')
                .to_owned();
            self::method(c, name, method_name, &method.loc, &request, &response);
            if method.proto.client_streaming() {
                let message = format!("RPC {} is client streaming.", quote(method_name));
                c.add("RPC_NO_CLIENT_STREAMING", &method.loc, message);
            }
            if method.proto.server_streaming() {
                let message = format!("RPC {} is server streaming.", quote(method_name));
                c.add("RPC_NO_SERVER_STREAMING", &method.loc, message);
            }
            let key = format!("{full_name}.{method_name}");
            rpcs.insert(key, (method.loc.clone(), request, response));
        }
    }
    unique(c, &rpcs);
}

fn method(
    c: &mut Lint<'_, '_>,
    service: &str,
    name: &str,
    at: &Loc,
    request: &str,
    response: &str,
) {
    let expected = pascal(name);
    if expected != name {
        let message = format!(
            "RPC name {} should be PascalCase, such as {}.",
            quote(name),
            quote(&expected)
        );
        c.add("RPC_PASCAL_CASE", &at.child(&[tag::NAME]), message);
    }
    documented(c, "COMMENT_RPC", "RPC", name, at);
    let sides = [
        (
            "RPC_REQUEST_STANDARD_NAME",
            "request",
            "Request",
            request,
            tag::METHOD_INPUT,
            c.options().rpc_allow_google_protobuf_empty_requests,
        ),
        (
            "RPC_RESPONSE_STANDARD_NAME",
            "response",
            "Response",
            response,
            tag::METHOD_OUTPUT,
            c.options().rpc_allow_google_protobuf_empty_responses,
        ),
    ];
    for (rule, what, suffix, type_name, t, allow_empty) in sides {
        if allow_empty && type_name == EMPTY {
            continue;
        }
        let short = type_name.rsplit('.').next().unwrap_or(type_name);
        let one = format!("{expected}{suffix}");
        let two = format!("{}{one}", pascal(service));
        if short != one && short != two {
            let message = format!(
                "RPC {what} type {} should be named {} or {}.",
                quote(short),
                quote(&one),
                quote(&two)
            );
            c.add(rule, &at.child(&[t]), message);
        }
    }
}

/// RPC_REQUEST_RESPONSE_UNIQUE: no type is both the request and response of an RPC, nor used
/// by two RPCs (unless `rpc_allow_*` settings say so).
fn unique(c: &mut Lint<'_, '_>, rpcs: &BTreeMap<String, (Loc, String, String)>) {
    const RULE: &str = "RPC_REQUEST_RESPONSE_UNIQUE";
    if !c.on(RULE) {
        return;
    }
    let options = c.options().clone();
    let (allow_requests, allow_responses) = (
        options.rpc_allow_google_protobuf_empty_requests,
        options.rpc_allow_google_protobuf_empty_responses,
    );
    if !options.rpc_allow_same_request_response {
        for (full_name, (at, request, response)) in rpcs {
            let both_empty_allowed = request == EMPTY && allow_requests && allow_responses;
            if request == response && !both_empty_allowed {
                let name = full_name.rsplit('.').next().unwrap_or(full_name);
                let message = format!(
                    "RPC {} has the same type {} for the request and response.",
                    quote(name),
                    quote(request)
                );
                c.add(RULE, at, message);
            }
        }
    }
    let mut users: BTreeMap<&str, BTreeMap<&str, &(Loc, String, String)>> = BTreeMap::new();
    for (full_name, rpc) in rpcs {
        users.entry(&rpc.1).or_default().insert(full_name, rpc);
        users.entry(&rpc.2).or_default().insert(full_name, rpc);
    }
    for (type_name, methods) in users {
        if methods.len() < 2 {
            continue;
        }
        if type_name == EMPTY && (allow_requests || allow_responses) {
            if allow_requests && allow_responses {
                continue;
            }
            for (allowed, what, side) in [
                (allow_requests, "request", 1),
                (allow_responses, "response", 2),
            ] {
                let using: Vec<_> = methods
                    .values()
                    .filter(|m| {
                        if side == 1 {
                            m.1 == EMPTY
                        } else {
                            m.2 == EMPTY
                        }
                    })
                    .collect();
                if !allowed && using.len() > 1 {
                    for m in using {
                        let message = format!(
                            "{} is used as the {what} for multiple RPCs.",
                            quote(type_name)
                        );
                        c.add(RULE, &m.0, message);
                    }
                }
            }
            continue;
        }
        for m in methods.values() {
            let message = format!(
                "{} is used as the request or response type for multiple RPCs.",
                quote(type_name)
            );
            c.add(RULE, &m.0, message);
        }
    }
}
