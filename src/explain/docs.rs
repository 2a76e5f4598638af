//! The AWS and Kubernetes pages the model follows: cited by the inspector's pages and linked
//! from the editor's settings.

use serde::Serialize;

/// A page of documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Doc {
    pub title: &'static str,
    pub url: &'static str,
}

pub const PREFIX_DELEGATION: Doc = Doc {
    title: "Assign more IP addresses to nodes with prefixes",
    url: "https://docs.aws.amazon.com/eks/latest/userguide/cni-increase-ip-addresses.html",
};
pub const CUSTOM_NETWORKING: Doc = Doc {
    title: "Custom networking: pods in separate subnets",
    url: "https://docs.aws.amazon.com/eks/latest/userguide/cni-custom-network.html",
};
pub const SECURITY_GROUPS_FOR_PODS: Doc = Doc {
    title: "Security groups for pods",
    url: "https://docs.aws.amazon.com/eks/latest/userguide/security-groups-for-pods.html",
};
pub const CLUSTER_ENDPOINT: Doc = Doc {
    title: "Cluster API server endpoint",
    url: "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
};
pub const NETWORK_REQUIREMENTS: Doc = Doc {
    title: "EKS VPC and subnet requirements",
    url: "https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html",
};
pub const SECURITY_GROUP_REQUIREMENTS: Doc = Doc {
    title: "EKS security group requirements",
    url: "https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html",
};
pub const WARM_TARGETS: Doc = Doc {
    title: "WARM_ENI_TARGET, WARM_IP_TARGET and MINIMUM_IP_TARGET",
    url: "https://github.com/aws/amazon-vpc-cni-k8s/blob/master/docs/eni-and-ip-target.md",
};
pub const WARM_PREFIX_TARGET: Doc = Doc {
    title: "WARM_PREFIX_TARGET and prefix mode",
    url: "https://github.com/aws/amazon-vpc-cni-k8s/blob/master/docs/prefix-and-ip-target.md",
};
pub const SUBNET_SIZING: Doc = Doc {
    title: "Subnet CIDR blocks: the 5 reserved addresses",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html",
};
pub const MAX_PODS: Doc = Doc {
    title: "Maximum pods per Amazon EC2 instance type",
    url: "https://docs.aws.amazon.com/eks/latest/userguide/choosing-instance-type.html",
};
pub const EXTERNAL_SNAT: Doc = Doc {
    title: "Outbound internet access for pods (EXTERNALSNAT)",
    url: "https://docs.aws.amazon.com/eks/latest/userguide/external-snat.html",
};
pub const IPV6: Doc = Doc {
    title: "IPv6 addresses for clusters, pods and services",
    url: "https://docs.aws.amazon.com/eks/latest/userguide/cni-ipv6.html",
};
pub const VPC_CNI: Doc = Doc {
    title: "Amazon VPC CNI: pod networking",
    url: "https://docs.aws.amazon.com/eks/latest/userguide/pod-networking.html",
};
pub const NAT_GATEWAY: Doc = Doc {
    title: "NAT gateways",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html",
};
pub const SCHEDULER: Doc = Doc {
    title: "Kubernetes scheduler: filtering and scoring",
    url: "https://kubernetes.io/docs/concepts/scheduling-eviction/kube-scheduler/",
};
pub const CONTROL_PLANE: Doc = Doc {
    title: "Amazon EKS architecture: the control plane",
    url: "https://docs.aws.amazon.com/eks/latest/userguide/eks-architecture.html",
};
pub const NETWORK_LOAD_BALANCING: Doc = Doc {
    title: "Route TCP and UDP traffic with Network Load Balancers",
    url: "https://docs.aws.amazon.com/eks/latest/userguide/network-load-balancing.html",
};
pub const ALB_INGRESS: Doc = Doc {
    title: "Route application and HTTP traffic with Application Load Balancers",
    url: "https://docs.aws.amazon.com/eks/latest/userguide/alb-ingress.html",
};
pub const SERVICE_TRAFFIC_POLICY: Doc = Doc {
    title: "Kubernetes Services: traffic policies",
    url: "https://kubernetes.io/docs/reference/networking/virtual-ips/#traffic-policies",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_is_https() {
        for d in [
            PREFIX_DELEGATION,
            CUSTOM_NETWORKING,
            SECURITY_GROUPS_FOR_PODS,
            CLUSTER_ENDPOINT,
            NETWORK_REQUIREMENTS,
            SECURITY_GROUP_REQUIREMENTS,
            WARM_TARGETS,
            WARM_PREFIX_TARGET,
            SUBNET_SIZING,
            MAX_PODS,
            EXTERNAL_SNAT,
            IPV6,
            VPC_CNI,
            NAT_GATEWAY,
            SCHEDULER,
            CONTROL_PLANE,
            NETWORK_LOAD_BALANCING,
            ALB_INGRESS,
            SERVICE_TRAFFIC_POLICY,
        ] {
            assert!(d.url.starts_with("https://"), "{}", d.url);
            assert!(!d.title.is_empty());
        }
    }
}
