package io.edgegate.controlplane.security;

import io.edgegate.api.v1.ClusterServiceGrpc;
import io.edgegate.api.v1.ObjectServiceGrpc;
import io.edgegate.api.v1.TokenServiceGrpc;
import io.grpc.MethodDescriptor;
import java.util.Map;

/** The role each API method needs, and the verb an error names ("role viewer cannot apply"). Unlisted methods need admin. */
final class MethodRoles {

    record Need(Role role, String verb) {
    }

    private static final Need ADMIN_ONLY = new Need(Role.ADMIN, "call this method");

    private final Map<String, Need> needs = Map.ofEntries(
            entry(ObjectServiceGrpc.getGetMethod(), Role.VIEWER, "get"),
            entry(ObjectServiceGrpc.getListMethod(), Role.VIEWER, "list"),
            entry(ObjectServiceGrpc.getCreateMethod(), Role.OPERATOR, "create"),
            entry(ObjectServiceGrpc.getApplyMethod(), Role.OPERATOR, "apply"),
            entry(ObjectServiceGrpc.getDeleteMethod(), Role.OPERATOR, "delete"),
            entry(ClusterServiceGrpc.getListMembersMethod(), Role.VIEWER, "list members"),
            entry(ClusterServiceGrpc.getWaitForRevisionMethod(), Role.VIEWER, "wait"),
            entry(ClusterServiceGrpc.getWatchMethod(), Role.VIEWER, "watch"),
            entry(ClusterServiceGrpc.getDescribeMethod(), Role.VIEWER, "describe"),
            entry(ClusterServiceGrpc.getForgetMemberMethod(), Role.OPERATOR, "forget members"),
            entry(ClusterServiceGrpc.getAcceptStoreMethod(), Role.ADMIN, "accept a store"),
            entry(TokenServiceGrpc.getWhoAmIMethod(), Role.VIEWER, "ask who it is"),
            entry(TokenServiceGrpc.getCreateMethod(), Role.ADMIN, "create tokens"),
            entry(TokenServiceGrpc.getListMethod(), Role.ADMIN, "list tokens"),
            entry(TokenServiceGrpc.getRevokeMethod(), Role.ADMIN, "revoke tokens"));

    Need of(MethodDescriptor<?, ?> method) {
        return needs.getOrDefault(method.getFullMethodName(), ADMIN_ONLY);
    }

    private static Map.Entry<String, Need> entry(MethodDescriptor<?, ?> method, Role role, String verb) {
        return Map.entry(method.getFullMethodName(), new Need(role, verb));
    }
}
