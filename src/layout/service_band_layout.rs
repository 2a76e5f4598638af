//! The service-CIDR band below the VPC, right of the workloads key: one row per Service
//! (`service:<ns>/<name>`: type, ClusterIP, ports and NodePorts, endpoints) and per Ingress
//! (`ingress:<ns>/<name>`: the ALB serving it). ClusterIPs are virtual, so the band sits
//! outside the VPC's subnets. At most [`MAX_ROWS`] rows; the title counts the rest.

use super::geometry::Rect;
use super::k8s_layout::WORKLOADS_ID;
use super::scene::{Anchor, Kind, Scene, Shape, TextStyle};
use super::text::{thousands, width};
use crate::model::{Cluster, Id};

/// Id of the band.
pub const SERVICE_BAND_ID: Id = Id::ServiceBand;
/// Rows the band draws at most (Services, then Ingresses): thousands of Services stay a few
/// hundred SVG elements.
pub const MAX_ROWS: usize = 40;
const ROW_H: f64 = 19.0;
const ROW_STEP: f64 = 22.0;

/// The band, or `None` when the cluster has no Service of its own and no Ingress.
pub fn service_band(cluster: &Cluster, scene: &Scene) -> Option<Shape> {
    let services: Vec<_> = cluster
        .services
        .iter()
        .filter(|s| !s.system)
        .take(MAX_ROWS)
        .collect();
    let ingresses = &cluster.ingresses[..cluster.ingresses.len().min(MAX_ROWS - services.len())];
    if services.is_empty() && ingresses.is_empty() {
        return None;
    }
    let vpc = scene
        .shapes
        .iter()
        .flat_map(Shape::walk)
        .find(|s| s.kind == Kind::Vpc)?
        .rect;
    let key = scene
        .shapes
        .iter()
        .find(|s| s.id == WORKLOADS_ID)
        .map(|s| s.rect);
    let (x, y) = match key {
        Some(k) if k.w > 0.0 => (k.right() + 16.0, k.y),
        _ => (vpc.x, vpc.bottom() + 16.0),
    };
    let w = (vpc.right() - x).clamp(320.0, 640.0);
    let rows = services.len() + ingresses.len();
    let rect = Rect::new(x, y, w, 30.0 + rows as f64 * ROW_STEP);
    let all = cluster.services.iter().filter(|s| !s.system).count() + cluster.ingresses.len();
    let more = if rows < all {
        format!(" · {} of {} shown", rows, thousands(all as u64))
    } else {
        String::new()
    };
    let mut band = Shape::new(SERVICE_BAND_ID, Kind::ServiceBand, rect);
    band.name = format!("Service CIDR {}", cluster.service_cidr);
    band.attrs
        .push(("data-cidr", cluster.service_cidr.to_string()));
    band.text(
        x + 8.0,
        y + 18.0,
        format!(
            "Service CIDR {} · ClusterIPs are virtual: kube-proxy's rules on every node{more}",
            cluster.service_cidr
        ),
        TextStyle::Muted,
        Anchor::Start,
    );
    let mut row_y = y + 28.0;
    let mut next = || {
        let r = Rect::new(x + 8.0, row_y, w - 16.0, ROW_H);
        row_y += ROW_STEP;
        r
    };
    for s in services {
        let ports = s
            .ports
            .iter()
            .map(|p| match p.node_port {
                Some(np) => format!("{}→{} (NodePort {np})", p.port, p.target_port),
                None => format!("{}→{}", p.port, p.target_port),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let ty = format!("{:?}", s.service_type);
        let mut row = Shape::new(s.id.clone(), Kind::Service, next());
        row.attrs.push(("data-type", ty.clone()));
        row.attrs
            .push(("data-cluster-ip", s.cluster_ip.to_string()));
        let name = format!("{}/{}", s.namespace, s.name);
        let meta = format!(
            "{ty} · {} · {ports} · {} endpoints",
            s.cluster_ip,
            s.endpoints.len()
        );
        row.name = format!("Service {name}: {meta}");
        label(&mut row, name, meta);
        band.children.push(row);
    }
    for i in ingresses {
        let lb = i.load_balancer.and_then(|k| cluster.load_balancers.get(k));
        let mut row = Shape::new(i.id.clone(), Kind::Ingress, next());
        if let Some(lb) = lb {
            row.attrs.push(("data-lb", lb.id.to_string()));
        }
        let name = format!("Ingress {}/{}", i.namespace, i.name);
        let meta = format!(
            "→ {}",
            lb.map_or("no ALB".to_string(), |l| format!("ALB {}", l.name))
        );
        row.name = format!("{name} {meta}");
        label(&mut row, name, meta);
        band.children.push(row);
    }
    Some(band)
}

/// A row's name, then its facts in a muted monospace after it.
fn label(row: &mut Shape, name: String, meta: String) {
    let r = row.rect;
    let after = r.x + 6.0 + width(&name, TextStyle::Row) + 8.0;
    row.text(r.x + 6.0, r.y + 13.5, name, TextStyle::Row, Anchor::Start);
    row.text(after, r.y + 13.5, meta, TextStyle::Mono, Anchor::Start);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built(name: &str) -> (Cluster, Scene) {
        let text = std::fs::read_to_string(format!(
            "{}/static/scenarios/gallery/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let c = crate::model::build(&crate::scenario::from_json(&text).unwrap()).unwrap();
        let scene = crate::layout::layout(&c);
        (c, scene)
    }

    #[test]
    fn the_band_lists_user_services_and_ingresses_below_the_vpc() {
        let (c, scene) = built("ingress-groups");
        let band = scene.find(&SERVICE_BAND_ID).unwrap();
        let vpc = scene.find("vpc").unwrap().rect;
        assert!(band.rect.y >= vpc.bottom());
        let user = c.services.iter().filter(|s| !s.system).count();
        assert_eq!(
            band.children
                .iter()
                .filter(|r| r.kind == Kind::Service)
                .count(),
            user.min(MAX_ROWS)
        );
        for i in &c.ingresses {
            let row = scene.find(&i.id).unwrap();
            assert!(row.attr("data-lb").is_some_and(|lb| lb.starts_with("lb:")));
            assert!(band.rect.contains(&row.rect));
        }
        assert!(
            scene.bounds().contains(&band.rect),
            "the scene grows to hold the band"
        );
    }

    #[test]
    fn the_etp_gallery_shows_two_services_with_their_cluster_ips() {
        let (c, scene) = built("etp-cluster-vs-local");
        let band = scene.find(&SERVICE_BAND_ID).unwrap();
        assert_eq!(band.children.len(), 2);
        for row in &band.children {
            let s = c.services.iter().find(|s| s.id == row.id).unwrap();
            assert_eq!(
                row.attr("data-cluster-ip"),
                Some(s.cluster_ip.to_string().as_str())
            );
            assert_eq!(row.attr("data-type"), Some("LoadBalancer"));
        }
    }

    #[test]
    fn thousands_of_services_are_forty_rows_and_a_count() {
        let mut s = crate::scenario::from_json(include_str!(
            "../../static/scenarios/gallery/etp-cluster-vs-local.json"
        ))
        .unwrap();
        let template = s.services[0].clone();
        s.services = (0..500)
            .map(|i| crate::scenario::Service {
                name: format!("svc-{i}"),
                service_type: Default::default(),
                load_balancer: None,
                ..template.clone()
            })
            .collect();
        s.flows.clear();
        let c = crate::model::build(&s).unwrap();
        let band = service_band(&c, &crate::layout::layout(&c)).unwrap();
        assert_eq!(band.children.len(), MAX_ROWS);
        assert!(
            band.texts[0].text.ends_with(" · 40 of 500 shown"),
            "{}",
            band.texts[0].text
        );
    }
}
