//! Rules on a service paired with its old self (by full name) and its methods (by name).

use prost_types::method_options::IdempotencyLevel;

use super::{At, Check};
use crate::go::quote;
use crate::image::tag;

pub(super) fn check(c: &mut Check<'_, '_>) {
    for (name, old) in &c.old.services {
        let Some(new) = c.new.services.get(name) else {
            continue;
        };
        let service = new.proto.name();
        let new_methods = c.new.methods(new);
        for (method, old_method) in c.old.methods(old) {
            let Some(new_method) = new_methods.get(method) else {
                let message = format!(
                    "Previously present RPC {} on service {} was deleted.",
                    quote(method),
                    quote(service)
                );
                c.add(
                    "RPC_NO_DELETE",
                    At::Element(&new.loc),
                    Some(&old.loc),
                    message,
                );
                continue;
            };
            let (n, o) = (new_method.proto, old_method.proto);
            let rpc = format!("RPC {} on service {}", quote(method), quote(service));
            for (rule, side, before, after) in [
                (
                    "RPC_SAME_CLIENT_STREAMING",
                    "client",
                    o.client_streaming(),
                    n.client_streaming(),
                ),
                (
                    "RPC_SAME_SERVER_STREAMING",
                    "server",
                    o.server_streaming(),
                    n.server_streaming(),
                ),
            ] {
                if before != after {
                    let word = |s: bool| if s { "streaming" } else { "unary" };
                    let message = format!(
                        "{rpc} changed from {side} {} to {side} {}.",
                        word(before),
                        word(after)
                    );
                    c.add(
                        rule,
                        At::Element(&new_method.loc),
                        Some(&old_method.loc),
                        message,
                    );
                }
            }
            for (rule, what, t, before, after) in [
                (
                    "RPC_SAME_REQUEST_TYPE",
                    "request",
                    tag::METHOD_INPUT,
                    o.input_type(),
                    n.input_type(),
                ),
                (
                    "RPC_SAME_RESPONSE_TYPE",
                    "response",
                    tag::METHOD_OUTPUT,
                    o.output_type(),
                    n.output_type(),
                ),
            ] {
                let (before, after) = (
                    before.trim_start_matches('.'),
                    after.trim_start_matches('.'),
                );
                if before != after {
                    let message = format!(
                        "{rpc} changed {what} type from {} to {}.",
                        quote(before),
                        quote(after)
                    );
                    let at = new_method.loc.child(&[t]);
                    let against = old_method.loc.child(&[t]);
                    c.add(rule, At::Element(&at), Some(&against), message);
                }
            }
            let level = |m: &prost_types::MethodDescriptorProto| {
                m.options
                    .as_ref()
                    .map_or(IdempotencyLevel::IdempotencyUnknown, |o| {
                        o.idempotency_level()
                    })
                    .as_str_name()
            };
            let (before, after) = (level(o), level(n));
            if before != after {
                let message = format!(
                    "{rpc} changed option \"idempotency_level\" from {} to {}.",
                    quote(before),
                    quote(after)
                );
                let at = new_method.loc.child(&[tag::METHOD_OPTIONS, 34]);
                let at = if c.new.has_location(&at) {
                    At::Element(&at)
                } else {
                    At::File(new.loc.file)
                };
                c.add(
                    "RPC_SAME_IDEMPOTENCY_LEVEL",
                    at,
                    Some(&old_method.loc),
                    message,
                );
            }
        }
    }
}
