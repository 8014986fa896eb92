/** A small corpus of building-design notes, and questions whose answer is one known chunk. */

export interface CorpusDocument {
  id: string;
  format: "text" | "markdown";
  metadata: Record<string, string | number | boolean>;
  text: string;
}

export const CORPUS: CorpusDocument[] = [
  {
    id: "fire-escape-routes",
    format: "markdown",
    metadata: { discipline: "fire", project: "riverside", year: 2024 },
    text: `# Fire safety strategy

## Escape routes
Every storey has at least two independent escape routes. The travel distance to the nearest storey exit is limited to 18 m where escape is possible in one direction only, and 45 m where it is possible in more than one direction.

Escape corridors are at least 1200 mm wide and are kept free of stored goods at all times.

## Fire doors
Doors on escape routes open in the direction of escape. Fire doors to protected stairs are FD30S rated, fitted with self-closing devices and intumescent seals with smoke brushes.
`,
  },
  {
    id: "daylight-office",
    format: "markdown",
    metadata: { discipline: "lighting", project: "riverside", year: 2024 },
    text: `# Daylight in the open-plan office

The average daylight factor across the open-plan office floor is 2.1 %, computed on the working plane at 0.85 m under the CIE overcast sky.

Desks deeper than 6 m from the façade receive less than 1 % daylight factor and need permanent supplementary artificial lighting.

Light shelves on the south façade reflect sunlight onto the ceiling and reduce glare at the window desks.
`,
  },
  {
    id: "acoustic-separation",
    format: "text",
    metadata: { discipline: "acoustics", project: "harbour", year: 2023 },
    text: `Separating walls between dwellings achieve an airborne sound insulation of at least 45 dB DnT,w + Ctr. The wall build-up is twin timber studs with two layers of 15 mm acoustic plasterboard on each side and mineral wool in the cavity.

Separating floors achieve an impact sound transmission of no more than 62 dB L'nT,w. A resilient layer under the screed decouples the floating floor from the concrete slab.`,
  },
  {
    id: "thermal-envelope",
    format: "markdown",
    metadata: { discipline: "energy", project: "harbour", year: 2023 },
    text: `# Thermal envelope

| Element | U-value | Build-up |
| --- | --- | --- |
| External wall | 0.18 W/m²K | 200 mm mineral wool between studs |
| Roof | 0.13 W/m²K | 300 mm PIR insulation |
| Ground floor | 0.15 W/m²K | 150 mm EPS under slab |
| Windows | 1.2 W/m²K | Triple glazing, warm-edge spacers |

Air permeability is tested after completion and must not exceed 3 m³/(h·m²) at 50 Pa.
`,
  },
  {
    id: "ventilation-classrooms",
    format: "text",
    metadata: { discipline: "mechanical", project: "school", year: 2025 },
    text: `Classrooms are ventilated by a mechanical system with heat recovery, supplying 8 litres per second of fresh air per occupant. With 32 pupils and a teacher that is about 265 l/s per classroom.

Carbon dioxide sensors in each room modulate the fan speed so that the CO2 concentration stays below 1000 ppm during lessons. The heat recovery efficiency of the air handling units is at least 80 %.`,
  },
  {
    id: "structural-loads",
    format: "markdown",
    metadata: { discipline: "structure", project: "riverside", year: 2024 },
    text: `# Structural design loads

Imposed floor loads follow Eurocode 1: 3.0 kN/m² for general office areas and 5.0 kN/m² for plant rooms, with an additional 1.0 kN/m² allowance for movable partitions.

The characteristic snow load on the roof is 0.8 kN/m² and the basic wind velocity is 24 m/s. The timber frame is braced by plywood sheathing acting as shear walls.
`,
  },
  {
    id: "accessibility-ramps",
    format: "text",
    metadata: { discipline: "access", project: "school", year: 2025 },
    text: `Ramps for wheelchair users have a maximum gradient of 1:20 for a going of up to 10 m, and 1:15 for a going of up to 5 m. Landings at least 1500 mm long are provided at the top and bottom of every ramp flight.

Handrails on both sides of ramps are set between 900 mm and 1000 mm above the ramp surface and extend 300 mm beyond the top and bottom.`,
  },
  {
    id: "stair-geometry",
    format: "text",
    metadata: { discipline: "architecture", project: "harbour", year: 2023 },
    text: `Common stairs have a rise of between 150 mm and 170 mm and a going of between 250 mm and 400 mm. Twice the rise plus the going is kept between 550 mm and 700 mm for a comfortable stride.

Stair nosings have a contrasting strip 50 mm deep on the tread and riser so that people with impaired vision can see each step edge.`,
  },
  {
    id: "sprinklers-car-park",
    format: "markdown",
    metadata: { discipline: "fire", project: "harbour", year: 2023 },
    text: `# Sprinkler protection

The basement car park is protected by an automatic sprinkler system designed to Ordinary Hazard Group 2. Sprinkler heads are spaced at no more than 4 m with a design density of 5 mm/min over 144 m².

The sprinkler water supply is a 90 m³ tank with duty and standby pumps in a fire-separated pump room.
`,
  },
  {
    id: "solar-glazing",
    format: "text",
    metadata: { discipline: "energy", project: "riverside", year: 2024 },
    text: `The west façade glazing uses a solar control coating with a g-value of 0.28 and a visible light transmittance of 0.55, limiting summer overheating in the afternoon.

External vertical fins of 400 mm depth shade the west windows from low evening sun while keeping views out.`,
  },
  {
    id: "rainwater-harvesting",
    format: "text",
    metadata: { discipline: "drainage", project: "school", year: 2025 },
    text: `Rainwater from the 1800 m² roof is collected in a 25 m³ underground tank and reused for toilet flushing and irrigation of the playground planting. The system is expected to cover about 50 % of the non-potable water demand.

First-flush diverters and a vortex filter remove leaves and debris before water enters the tank.`,
  },
  {
    id: "clt-fire-resistance",
    format: "markdown",
    metadata: { discipline: "structure", project: "school", year: 2025 },
    text: `# Cross-laminated timber in fire

The CLT floor panels achieve 60 minutes fire resistance by charring: the design charring rate is 0.65 mm per minute, so about 39 mm of timber chars in an hour and the remaining section carries the load.

Exposed CLT soffits are limited in area because burning timber adds to the fire load; other soffits are encapsulated with two layers of fire-rated gypsum board.
`,
  },
  {
    id: "reverberation-sports-hall",
    format: "text",
    metadata: { discipline: "acoustics", project: "school", year: 2025 },
    text: `The sports hall has a target reverberation time of 1.5 seconds or less in the mid-frequency bands when unoccupied. Perforated timber wall panels with mineral wool behind them and an acoustic ceiling absorb sound so that coaching instructions stay intelligible.`,
  },
  {
    id: "lift-provision",
    format: "text",
    metadata: { discipline: "vertical-transport", project: "riverside", year: 2024 },
    text: `Two passenger lifts serve all floors, each with a 1000 kg rated load and a car of 1100 mm by 2100 mm so that a stretcher fits. One lift is an evacuation lift with a secondary power supply for use by disabled people during a fire.

Lift landing doors are 900 mm clear opening width.`,
  },
];

export interface RecallCase {
  query: string;
  documentId: string;
  /** Words the right chunk holds. */
  phrase: string;
}

export const RECALL_CASES: RecallCase[] = [
  { query: "How far can occupants travel to a storey exit if escape is in one direction only?", documentId: "fire-escape-routes", phrase: "18 m" },
  { query: "fire door rating and self-closing devices for protected stairs", documentId: "fire-escape-routes", phrase: "FD30S" },
  { query: "What daylight factor does the open-plan office achieve?", documentId: "daylight-office", phrase: "2.1 %" },
  { query: "sound insulation between dwellings separating wall dB", documentId: "acoustic-separation", phrase: "45 dB" },
  { query: "U-value of the roof insulation", documentId: "thermal-envelope", phrase: "Element: Roof; U-value: 0.13" },
  { query: "fresh air litres per second per pupil in classrooms", documentId: "ventilation-classrooms", phrase: "8 litres per second" },
  { query: "imposed floor load for plant rooms", documentId: "structural-loads", phrase: "5.0 kN/m²" },
  { query: "maximum ramp gradient for wheelchair users", documentId: "accessibility-ramps", phrase: "1:20" },
  { query: "stair rise and going dimensions", documentId: "stair-geometry", phrase: "rise of between 150 mm" },
  { query: "sprinkler design density in the car park", documentId: "sprinklers-car-park", phrase: "5 mm/min" },
  { query: "charring rate of CLT panels", documentId: "clt-fire-resistance", phrase: "0.65 mm per minute" },
  { query: "reverberation time target for the sports hall", documentId: "reverberation-sports-hall", phrase: "1.5 seconds" },
  { query: "evacuation lift secondary power supply", documentId: "lift-provision", phrase: "evacuation lift" },
  { query: "rainwater tank reuse for toilet flushing", documentId: "rainwater-harvesting", phrase: "toilet flushing" },
];
